import { pageTokenCodec } from "@bourse/common/page-token";
import { z } from "zod";
import type { AssetFilter } from "./asset-filter.js";

/**
 * A ListAssets page token holds the sort key of the last asset returned, bound to the filter. The next
 * page starts strictly after that key, so it does not depend on the last asset still existing or being
 * unchanged: edits between pages neither repeat nor skip assets that did not move.
 */
const codec = pageTokenCodec<AssetFilter>({
  // Sort keys are printable ASCII (symbols, digits, hex) and well under DynamoDB's 1 KB key limit.
  key: z.string().regex(/^[\x21-\x7e]{1,600}$/),
  otherFilter: "for a different query, category, sort or include_inactive",
});

export function encodePageToken(filter: AssetFilter, lastSortKey: string): string {
  return codec.encode(filter, lastSortKey);
}

/** The sort key to continue after; `invalid_argument` for a malformed token or one from another query. */
export function decodePageToken(pageToken: string, filter: AssetFilter): string {
  return codec.decode(pageToken, filter);
}
