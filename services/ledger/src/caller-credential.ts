import type { Interceptor } from "@connectrpc/connect";

/**
 * LedgerService is internal: callers prove they are the orders or matching service with a shared
 * secret in this header (LEDGER_SERVICE_SECRET on both sides).
 */
export const LEDGER_CREDENTIAL_HEADER = "x-bourse-ledger-credential";

/** Adds the credential to every call of a LedgerService client. */
export function ledgerCredentialInterceptor(secret: string): Interceptor {
  return (next) => (request) => {
    request.header.set(LEDGER_CREDENTIAL_HEADER, secret);
    return next(request);
  };
}
