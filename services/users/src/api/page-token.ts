import { ulidSchema } from "@bourse/common/identifiers";
import { pageTokenCodec } from "@bourse/common/page-token";

/**
 * A ListLedgerEntries page token: the id of the last entry shown, bound to the asset filter. Keyed on an
 * entry id rather than a storage cursor, so it stays valid while new entries arrive.
 */
const codec = pageTokenCodec<{ asset: string }>({
  key: ulidSchema,
  otherFilter: "for another asset filter",
});

export function encodePageToken(asset: string, lastEntryId: string): string {
  return codec.encode({ asset }, lastEntryId);
}

/** The entry id to continue before; `invalid_argument` for a malformed token or another filter's. */
export function decodePageToken(token: string, asset: string): string {
  return codec.decode(token, { asset });
}
