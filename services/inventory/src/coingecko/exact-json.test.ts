import { describe, expect, it } from "vitest";
import { parseJsonExact, toPlainDecimal } from "./exact-json.js";

describe("parseJsonExact", () => {
  it("keeps every number as its source text, at any depth", () => {
    expect(parseJsonExact('{"a":0.1,"b":[1.2345678901234567890,1e-7],"c":"0.3","d":null,"e":true}')).toEqual({
      a: "0.1",
      b: ["1.2345678901234567890", "1e-7"],
      c: "0.3",
      d: null,
      e: true,
    });
  });

  it("throws on text that is not JSON", () => {
    expect(() => parseJsonExact("{not json")).toThrow(SyntaxError);
  });
});

describe("toPlainDecimal", () => {
  it.each([
    ["64250.12", "64250.12"],
    ["0", "0"],
    ["-0", "0"],
    ["0.00001234", "0.00001234"],
    ["1.234e-05", "0.00001234"],
    ["1.234E-5", "0.00001234"],
    ["6.5E+3", "6500"],
    ["65e2", "6500"],
    ["1.50", "1.5"],
    ["-2.35", "-2.35"],
    ["-2.35e1", "-23.5"],
    ["123.456e1", "1234.56"],
    ["0.5e1", "5"],
    ["12345678901234567890.123456789", "12345678901234567890.123456789"],
  ])("%s is %s", (literal, plain) => {
    expect(toPlainDecimal(literal)).toBe(plain);
  });

  it.each(["", "abc", "1.", ".5", "+1", "01", "1e", "1e999", "NaN"])("refuses %j", (literal) => {
    expect(toPlainDecimal(literal)).toBeUndefined();
  });
});
