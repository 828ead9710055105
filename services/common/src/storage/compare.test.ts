import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareStrings } from "./compare.js";

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** Characters around the places where UTF-16 and UTF-8 orders part ways. */
const tricky = fc.string({
  unit: fc.constantFrom("a", "é", "\ud7ff", "\ue000", "\uffff", "\u{10000}", "\u{10ffff}"),
});

describe("compareStrings", () => {
  it("orders like the strings' UTF-8 bytes", () => {
    for (const arbitrary of [fc.string({ unit: "binary" }), tricky]) {
      fc.assert(
        fc.property(arbitrary, arbitrary, (a, b) => Math.sign(compareStrings(a, b)) === utf8Order(a, b)),
      );
    }
  });

  it("puts characters beyond U+FFFF after U+FFFF, unlike JavaScript's own order", () => {
    expect("\u{10000}" < "\uffff").toBe(true);
    expect(compareStrings("\u{10000}", "\uffff")).toBeGreaterThan(0);
  });
});
