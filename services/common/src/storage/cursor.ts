import { InvalidCursorError } from "./errors.js";

/** The key of the last item of a page: key attribute name to string value. */
export type LastKey = Readonly<Record<string, string>>;

/**
 * Encodes a page's last evaluated key as an opaque cursor: base64url of JSON with sorted names, so
 * both adapters produce the same cursor for the same key.
 */
export function encodeCursor(key: LastKey): string {
  const sorted = Object.fromEntries(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
  return Buffer.from(JSON.stringify(sorted)).toString("base64url");
}

/** Decodes a cursor, checking that it holds exactly the given key attributes as strings. */
export function decodeCursor(cursor: string, attributes: readonly string[]): LastKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw new InvalidCursorError("the cursor is malformed", { cause: error });
  }
  const valid =
    typeof key === "object" &&
    key !== null &&
    Object.keys(key).length === attributes.length &&
    attributes.every((name) => typeof (key as Record<string, unknown>)[name] === "string");
  if (!valid) throw new InvalidCursorError("the cursor does not belong to this query");
  return key as LastKey;
}
