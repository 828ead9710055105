import { createHash, timingSafeEqual } from "node:crypto";
import { unauthenticated } from "@bourse/common";
import { LEDGER_CREDENTIAL_HEADER } from "@bourse/ledger";
import type { HandlerContext } from "@connectrpc/connect";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Admits only callers that present the shared LedgerService secret (the orders and matching
 * services). Without a configured secret every caller is admitted; the service refuses to start
 * that way unless it listens on loopback only (see server.ts).
 */
export function ledgerCallerGuard(secret: string | undefined): (context: HandlerContext) => void {
  if (secret === undefined) return () => {};
  const expected = digest(secret);
  return (context) => {
    const presented = context.requestHeader.get(LEDGER_CREDENTIAL_HEADER);
    // Comparing digests keeps the comparison constant-time whatever the length presented.
    if (presented === null || !timingSafeEqual(digest(presented), expected)) {
      throw unauthenticated("LedgerService is internal: present the service credential");
    }
  };
}
