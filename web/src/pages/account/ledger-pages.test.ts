import { describe, expect, it } from "vitest";
import { currentToken, FIRST_LEDGER_PAGE, newerPage, olderPage } from "./ledger-pages.ts";

describe("ledger pages", () => {
  it("walks to older pages by their tokens and back again", () => {
    const second = olderPage(FIRST_LEDGER_PAGE, "t2");
    const third = olderPage(second, "t3");
    expect(currentToken(third)).toBe("t3");
    expect(currentToken(newerPage(third))).toBe("t2");
    expect(currentToken(newerPage(newerPage(third)))).toBe("");
  });

  it("stays put past either end", () => {
    expect(newerPage(FIRST_LEDGER_PAGE)).toBe(FIRST_LEDGER_PAGE);
    expect(olderPage(FIRST_LEDGER_PAGE, "")).toBe(FIRST_LEDGER_PAGE);
  });

  it("forgets the pages after the one shown when it moves older from there", () => {
    const back = newerPage(olderPage(olderPage(FIRST_LEDGER_PAGE, "t2"), "t3"));
    const branched = olderPage(back, "t3b");
    expect(branched.tokens).toEqual(["", "t2", "t3b"]);
  });
});
