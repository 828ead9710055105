import { describe, expect, it } from "vitest";
import { argon2Parameters, createArgon2Hasher, dummyPasswordHash } from "./password-hasher.js";

describe("argon2id password hasher", () => {
  const hasher = createArgon2Hasher();

  it("writes the documented parameters into every hash and verifies only the right password", async () => {
    const hash = await hasher.hash("a long passphrase");
    const { memoryCost, timeCost, parallelism } = argon2Parameters;
    expect(hash).toMatch(
      new RegExp(`^\\$argon2id\\$v=19\\$m=${memoryCost},t=${timeCost},p=${parallelism}\\$`),
    );
    expect(await hasher.verify(hash, "a long passphrase")).toBe(true);
    expect(await hasher.verify(hash, "a long passphrasE")).toBe(false);
    expect(await hasher.verify("not a hash", "a long passphrase")).toBe(false);
  });

  it("makes a dummy hash with the same parameters, that no password is known for", async () => {
    const dummy = await dummyPasswordHash(hasher);
    expect(dummy.split("$").slice(0, 4)).toEqual((await hasher.hash("x")).split("$").slice(0, 4));
    expect(await hasher.verify(dummy, "")).toBe(false);
  });
});
