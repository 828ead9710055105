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
export {
  SERVICE_CREDENTIAL_HEADER,
  SERVICE_CREDENTIAL_MIN_LENGTH,
  serviceCredentialCheck,
  serviceCredentialGuard,
  serviceCredentialInterceptor,
  serviceCredentialVar,
} from "./service-credential.js";
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from "./token-verifier.js";
