import { describe, expect, it } from "vitest";
import { newRefreshToken } from "./refresh-token.js";
import { openSuccessor, sealSuccessor } from "./successor-seal.js";

describe("successor seal", () => {
  const pair = {
    accessToken: "a.b.c",
    accessTokenExpiresAt: new Date("2030-01-01T00:15:00Z"),
    refreshToken: newRefreshToken(),
    refreshTokenExpiresAt: new Date("2030-01-31T00:00:00Z"),
  };

  it("opens with the token it was sealed for, and with nothing else", () => {
    const presented = newRefreshToken();
    const sealed = sealSuccessor(presented, pair);
    expect(sealed).not.toContain(pair.refreshToken);
    expect(openSuccessor(presented, sealed)).toEqual(pair);
    expect(openSuccessor(newRefreshToken(), sealed)).toBeUndefined();
    const tampered = Buffer.from(sealed, "base64url");
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(openSuccessor(presented, tampered.toString("base64url"))).toBeUndefined();
    expect(openSuccessor(presented, "short")).toBeUndefined();
  });
});
