import { z } from "zod";
import { type Authenticator, createAuthenticator } from "../auth/authenticator.js";
import { accessTokenAudience, defaultTokenIssuer } from "../auth/claims.js";
import { createTokenVerifier } from "../auth/token-verifier.js";
import { type Env, loadConfig } from "./env.js";

/** How a service verifies access tokens: against the users service's published JWKS. */
export const authConfigSchema = z.object({
  /** The users service's JWKS; the default is where `npm start` serves it. */
  AUTH_JWKS_URL: z.url().default("http://127.0.0.1:9101/.well-known/jwks.json"),
  AUTH_ISSUER: z.string().min(1).default(defaultTokenIssuer),
  AUTH_AUDIENCE: z.string().min(1).default(accessTokenAudience),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** An authenticator for handlers, configured from `AUTH_*` variables. */
export function authenticatorFromEnv(service: string, env: Env): Authenticator {
  const config = loadConfig(service, authConfigSchema, env);
  return createAuthenticator(
    createTokenVerifier({
      jwks: new URL(config.AUTH_JWKS_URL),
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
    }),
  );
}
