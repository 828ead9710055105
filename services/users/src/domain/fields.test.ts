import { describe, expect, it } from "vitest";
import { amountField, displayNameField, emailField, newPasswordField } from "./fields.js";

describe("request fields", () => {
  it("normalises emails and refuses empty, oversized and malformed ones", () => {
    expect(emailField.parse("  Ann.Lee@Example.ORG ")).toBe("ann.lee@example.org");
    for (const email of [
      "",
      "   ",
      "ann",
      "ann@",
      "@example.org",
      `${"a".repeat(250)}@example.org`,
      "x".repeat(5000),
    ]) {
      expect(emailField.safeParse(email).success, email).toBe(false);
    }
  });

  it("wants ten characters and no common password, in any case", () => {
    expect(newPasswordField.safeParse("tolerable long secret").success).toBe(true);
    for (const password of ["short", "QWERTYUIOP", "Password123", "x".repeat(129)]) {
      expect(newPasswordField.safeParse(password).success, password).toBe(false);
    }
  });

  it("trims display names and refuses empty ones, control characters and more than 64 characters", () => {
    expect(displayNameField.parse("  Ann  ")).toBe("Ann");
    expect(displayNameField.parse("Zoë 🚀")).toBe("Zoë 🚀");
    for (const name of ["", "   ", "tab\there", "n".repeat(65)]) {
      expect(displayNameField.safeParse(name).success, name).toBe(false);
    }
  });

  it("takes a positive plain decimal of at most 16 integer digits and 18 decimals, nothing else", () => {
    for (const amount of ["1", "0.015", "1.50", "1000000000000000", "0.000000000000000001"]) {
      expect(amountField.safeParse(amount).success, amount).toBe(true);
    }
    for (const amount of [
      "",
      "0",
      "0.000",
      "-1",
      "+1",
      "1e3",
      "1E3",
      " 1",
      "1 ",
      "1\n",
      "1,5",
      "1_000",
      ".5",
      "5.",
      "01",
      "0x10",
      "Infinity",
      "NaN",
      "\u0661",
      "\uFF11",
      "1\u00A0",
      "1".repeat(17),
      "9".repeat(62),
      "0.0000000000000000001",
      "x".repeat(5000),
    ]) {
      expect(amountField.safeParse(amount).success, JSON.stringify(amount)).toBe(false);
    }
  });
});
