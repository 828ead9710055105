import { createHash } from "node:crypto";
import { z } from "zod";
import { invalidArgument } from "../errors.js";

const VERSION = 1;

export interface PageTokenCodec<F extends object> {
  /** A token to continue a listing after `key` (the last thing shown), bound to its filter. */
  encode(filter: F, key: string): string;
  /** The key to continue after; `invalid_argument` for a malformed token or another filter's. */
  decode(token: string, filter: F): string;
}

export interface PageTokenOptions {
  /** What a key may be (its alphabet and length): a decoded key is checked against it. */
  readonly key: z.ZodType<string>;
  /** The message for a token issued for other filter values, naming the fields, e.g. "for another asset filter". */
  readonly otherFilter: string;
}

/** The fields a listing filters by, whatever their order: a token is valid only for the same values. */
function fingerprint(filter: object): string {
  const canonical = JSON.stringify(Object.entries(filter).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/**
 * Page tokens for keyset pagination: base64url JSON of a version, a fingerprint of the filter and the
 * key to continue after. Keyed on what the listing sorts by rather than a storage cursor, a token stays
 * valid while items are added or change. Tokens are opaque but not secret, so nothing private goes in.
 */
export function pageTokenCodec<F extends object>(options: PageTokenOptions): PageTokenCodec<F> {
  const tokenSchema = z.object({ v: z.literal(VERSION), f: z.string().length(16), k: options.key }).strict();
  return {
    encode(filter, key) {
      return Buffer.from(JSON.stringify({ v: VERSION, f: fingerprint(filter), k: key })).toString(
        "base64url",
      );
    },
    decode(token, filter) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
      } catch {
        throw invalidArgument("page_token is malformed");
      }
      const parsed = tokenSchema.safeParse(decoded);
      if (!parsed.success) throw invalidArgument("page_token is malformed");
      if (parsed.data.f !== fingerprint(filter)) {
        throw invalidArgument(`page_token was issued ${options.otherFilter}`);
      }
      return parsed.data.k;
    },
  };
}
