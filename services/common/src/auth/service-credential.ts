import { createHash, timingSafeEqual } from "node:crypto";
import { Code, ConnectError, type HandlerContext, type Interceptor } from "@connectrpc/connect";
import { z } from "zod";

/**
 * Internal services (LedgerService, MatchingService) admit only our own services, which prove it with
 * one shared secret, `SERVICE_CREDENTIAL`, sent in this header (DESIGN §3.8). It is required
 * everywhere, loopback included: `npm start` generates one per run.
 */
export const SERVICE_CREDENTIAL_HEADER = "x-bourse-service-credential";

export const SERVICE_CREDENTIAL_MIN_LENGTH = 32;

/** The `SERVICE_CREDENTIAL` variable, for the config schema of every service that serves or calls one. */
export const serviceCredentialVar = z
  .string({
    error: "is required: the shared secret of Bourse's internal services (npm start generates one per run)",
  })
  .min(SERVICE_CREDENTIAL_MIN_LENGTH, `must be at least ${SERVICE_CREDENTIAL_MIN_LENGTH} characters`);

function checkCredential(credential: string): void {
  if (credential.length < SERVICE_CREDENTIAL_MIN_LENGTH) {
    throw new RangeError(`a service credential has at least ${SERVICE_CREDENTIAL_MIN_LENGTH} characters`);
  }
}

/** Adds the credential to every call of a client of an internal service. */
export function serviceCredentialInterceptor(credential: string): Interceptor {
  checkCredential(credential);
  return (next) => (request) => {
    request.header.set(SERVICE_CREDENTIAL_HEADER, credential);
    return next(request);
  };
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether a call's headers present the credential: for a public method that trusts more of what our
 * own services send (the gateway's `x-forwarded-for`) than what anyone else does.
 */
export function serviceCredentialCheck(credential: string): (header: Headers) => boolean {
  checkCredential(credential);
  const expected = digest(credential);
  return (header) => {
    const presented = header.get(SERVICE_CREDENTIAL_HEADER);
    // Comparing digests keeps the comparison constant-time whatever the length presented.
    return presented !== null && timingSafeEqual(digest(presented), expected);
  };
}

/**
 * What an internal service's handlers call first: throws `unauthenticated` unless the call presents
 * the credential. A customer's access token opens nothing here.
 */
export function serviceCredentialGuard(credential: string): (context: HandlerContext) => void {
  const presentsCredential = serviceCredentialCheck(credential);
  return (context) => {
    if (!presentsCredential(context.requestHeader)) {
      throw new ConnectError("internal service: present the service credential", Code.Unauthenticated);
    }
  };
}
