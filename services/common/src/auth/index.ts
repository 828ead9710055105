export { type Authenticator, createAuthenticator } from "./authenticator.js";
export {
  accessTokenAlgorithms,
  accessTokenAudience,
  defaultTokenIssuer,
  isRole,
  type Principal,
  type Role,
  roles,
} from "./claims.js";
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from "./token-verifier.js";
