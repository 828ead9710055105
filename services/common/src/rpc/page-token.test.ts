import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { pageTokenCodec } from "./page-token.js";

const codec = pageTokenCodec<{ asset: string; open: boolean }>({
  key: z.string().regex(/^[A-Z0-9]{1,8}$/),
  otherFilter: "for another asset or status",
});
const filter = { asset: "BTC", open: true };

function errorOf(run: () => unknown): ConnectError | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ConnectError ? error : undefined;
  }
  return undefined;
}

describe("pageTokenCodec", () => {
  it("carries the key back for the same filter, whatever the order of its fields", () => {
    const token = codec.encode(filter, "K42");
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode(token, { open: true, asset: "BTC" })).toBe("K42");
  });

  it("refuses a token issued for other filter values with invalid_argument", () => {
    const token = codec.encode(filter, "K42");
    for (const other of [
      { ...filter, asset: "ETH" },
      { ...filter, open: false },
    ]) {
      const error = errorOf(() => codec.decode(token, other));
      expect(error?.code).toBe(Code.InvalidArgument);
      expect(error?.rawMessage).toBe("page_token was issued for another asset or status");
    }
  });

  it.each([
    "garbage",
    "",
    Buffer.from("[]").toString("base64url"),
    Buffer.from('{"v":2,"f":"0123456789abcdef","k":"K1"}').toString("base64url"),
    Buffer.from('{"v":1,"f":"short","k":"K1"}').toString("base64url"),
    Buffer.from('{"v":1,"f":"0123456789abcdef","k":"lower"}').toString("base64url"),
    Buffer.from('{"v":1,"f":"0123456789abcdef","k":"K1","extra":1}').toString("base64url"),
  ])("refuses a malformed token with invalid_argument: %j", (token) => {
    const error = errorOf(() => codec.decode(token, filter));
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toBe("page_token is malformed");
  });
});
