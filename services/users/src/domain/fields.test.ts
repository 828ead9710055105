import { describe, expect, it } from "vitest";
import { displayNameField, emailField, newPasswordField } from "./fields.js";

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
});
