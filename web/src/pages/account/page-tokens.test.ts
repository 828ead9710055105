import { describe, expect, it } from "vitest";
import { currentToken, FIRST_PAGE, nextPage, previousPage } from "./page-tokens.ts";

describe("token pages", () => {
  it("walks to older pages by their tokens and back again", () => {
    const second = nextPage(FIRST_PAGE, "t2");
    const third = nextPage(second, "t3");
    expect(currentToken(third)).toBe("t3");
    expect(currentToken(previousPage(third))).toBe("t2");
    expect(currentToken(previousPage(previousPage(third)))).toBe("");
  });

  it("stays put past either end", () => {
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(nextPage(FIRST_PAGE, "")).toBe(FIRST_PAGE);
  });

  it("forgets the pages after the one shown when it moves older from there", () => {
    const back = previousPage(nextPage(nextPage(FIRST_PAGE, "t2"), "t3"));
    const branched = nextPage(back, "t3b");
    expect(branched.tokens).toEqual(["", "t2", "t3b"]);
  });
});
