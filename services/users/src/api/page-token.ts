import { invalidArgument } from "@bourse/common";
import { z } from "zod";

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const tokenSchema = z.object({ asset: z.string(), before: z.string().regex(ULID) }).strict();

/**
 * A ListLedgerEntries page token: the id of the last entry shown and the filter it was made for.
 * Keyed on an entry id rather than a storage cursor, so it stays valid while new entries arrive.
 */
export function encodePageToken(asset: string, lastEntryId: string): string {
  return Buffer.from(JSON.stringify({ asset, before: lastEntryId })).toString("base64url");
}

/** The entry id to continue before; `invalid_argument` for a malformed token or another filter's. */
export function decodePageToken(token: string, asset: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidArgument("page_token is malformed");
  }
  const parsed = tokenSchema.safeParse(decoded);
  if (!parsed.success) throw invalidArgument("page_token is malformed");
  if (parsed.data.asset !== asset) throw invalidArgument("page_token was issued for another asset filter");
  return parsed.data.before;
}
