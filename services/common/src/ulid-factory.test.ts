import { describe, expect, it } from "vitest";
import { ULID } from "./identifiers.js";
import { createUlidFactory } from "./ulid-factory.js";

describe("createUlidFactory", () => {
  it("makes well-formed ULIDs that carry the time and strictly increase, across pool refills", () => {
    const newUlid = createUlidFactory();
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const ids = Array.from({ length: 1_000 }, (_, i) => newUlid(at + Math.floor(i / 2)));
    for (const id of ids) expect(id).toMatch(ULID);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]?.slice(0, 10)).toBe(createUlidFactory()(at).slice(0, 10));
  });

  it("keeps increasing when the clock steps back", () => {
    const newUlid = createUlidFactory();
    const first = newUlid(2_000_000);
    expect(newUlid(1_000_000) > first).toBe(true);
  });

  it("draws different random parts in different factories", () => {
    const at = 1_700_000_000_000;
    expect(createUlidFactory()(at)).not.toBe(createUlidFactory()(at));
  });

  it("spreads its random characters over the whole alphabet", () => {
    const newUlid = createUlidFactory();
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const char of newUlid(1_000 + i).slice(10)) seen.add(char);
    expect(seen.size).toBe(32);
  });
});
