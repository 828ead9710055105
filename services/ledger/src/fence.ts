import { cond, type TransactItem } from "@bourse/common/storage";
import { marketSequenceKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";

/**
 * The fencing clause of a settlement transaction (DESIGN §3.4): the market's sequence item must not
 * carry a newer fencing token than the caller's, and it is raised to the caller's. Once a new owner
 * of the market has settled anything, every write of an older owner fails this condition.
 */
export function marketFenceItem(market: string, fencingToken: bigint): TransactItem {
  if (fencingToken <= 0n) throw new LedgerError("invalid_argument", "fencing_token must be positive");
  return {
    kind: "update",
    key: marketSequenceKey(market),
    update: { set: { fencingToken } },
    condition: cond.or(cond.notExists("fencingToken"), cond.lte("fencingToken", fencingToken)),
  };
}
