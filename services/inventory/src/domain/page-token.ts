import { createHash } from "node:crypto";
import { invalidArgument } from "@bourse/common";
import { z } from "zod";
import type { AssetFilter } from "./asset-filter.js";

const VERSION = 1;

/**
 * A page token holds the sort key of the last asset returned and a fingerprint of the filter. The next page
 * starts strictly after that key, so it does not depend on the last asset still existing or being unchanged:
 * edits between pages neither repeat nor skip assets that did not move. The fingerprint binds the token to
 * the query that issued it. Tokens are opaque (base64url JSON) but not secret, so nothing private goes in.
 */
const tokenSchema = z.object({
  v: z.literal(VERSION),
  f: z.string().length(16),
  // Sort keys are printable ASCII (symbols, digits, hex) and well under DynamoDB's 1 KB key limit.
  k: z.string().regex(/^[\x21-\x7e]{1,600}$/),
});

function fingerprint(filter: AssetFilter): string {
  const canonical = JSON.stringify([filter.query, filter.category, filter.order, filter.includeInactive]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

export function encodePageToken(filter: AssetFilter, lastSortKey: string): string {
  const token: z.infer<typeof tokenSchema> = { v: VERSION, f: fingerprint(filter), k: lastSortKey };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

/** The sort key to continue after; `invalid_argument` for a malformed token or one from another query. */
export function decodePageToken(pageToken: string, filter: AssetFilter): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(pageToken, "base64url").toString("utf8"));
  } catch {
    throw invalidArgument("page_token is malformed");
  }
  const token = tokenSchema.safeParse(parsed);
  if (!token.success) throw invalidArgument("page_token is malformed");
  if (token.data.f !== fingerprint(filter)) {
    throw invalidArgument("page_token was issued for a different query, category, sort or include_inactive");
  }
  return token.data.k;
}
