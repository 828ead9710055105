import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { AssetFilter } from "./asset-filter.js";
import { decodePageToken, encodePageToken } from "./page-token.js";

const filter: AssetFilter = { query: "bit", category: "", order: "market_cap", includeInactive: false };

function codeOf(run: () => unknown): Code | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ConnectError ? error.code : undefined;
  }
  return undefined;
}

describe("page tokens", () => {
  it("carry the last sort key back for the same filter", () => {
    const token = encodePageToken(filter, "R#0000000001#BTC");
    expect(decodePageToken(token, { ...filter })).toBe("R#0000000001#BTC");
  });

  it("are refused for any other query, category, order or include_inactive", () => {
    const token = encodePageToken(filter, "R#0000000001#BTC");
    for (const other of [
      { ...filter, query: "eth" },
      { ...filter, category: "defi" },
      { ...filter, order: "name" as const },
      { ...filter, includeInactive: true },
    ]) {
      expect(codeOf(() => decodePageToken(token, other))).toBe(Code.InvalidArgument);
    }
  });

  it.each([
    "garbage",
    "",
    Buffer.from("[]").toString("base64url"),
    Buffer.from('{"v":2,"f":"0123456789abcdef","k":"x"}').toString("base64url"),
    Buffer.from('{"v":1,"f":"short","k":"x"}').toString("base64url"),
    Buffer.from('{"v":1,"f":"0123456789abcdef","k":""}').toString("base64url"),
  ])("are refused when malformed: %j", (token) => {
    expect(codeOf(() => decodePageToken(token, filter))).toBe(Code.InvalidArgument);
  });
});

describe("page token keys", () => {
  it("must be printable ASCII of a sort key's length", () => {
    const token = (key: string) =>
      Buffer.from(JSON.stringify({ v: 1, f: "0123456789abcdef", k: key })).toString("base64url");
    expect(codeOf(() => decodePageToken(token("é".repeat(10)), filter))).toBe(Code.InvalidArgument);
    expect(codeOf(() => decodePageToken(token("A".repeat(601)), filter))).toBe(Code.InvalidArgument);
  });
});
