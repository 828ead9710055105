import { describe, expect, it } from "vitest";
import { displayNameProblem, emailProblem, newPasswordProblem } from "./validation.ts";

describe("sign-up validation, mirroring AuthService.Register", () => {
  it("asks for a well-formed email", () => {
    expect(emailProblem("")).toBe("Enter your email address.");
    expect(emailProblem("ada")).toMatch(/valid email/);
    expect(emailProblem("ada@example")).toMatch(/valid email/);
    expect(emailProblem(`${"a".repeat(250)}@example.com`)).toMatch(/valid email/);
    expect(emailProblem(" ada@example.com ")).toBeUndefined();
  });

  it("asks for a password of 10 to 128 characters", () => {
    expect(newPasswordProblem("123456789")).toBe("Use at least 10 characters.");
    expect(newPasswordProblem("1234567890")).toBeUndefined();
    expect(newPasswordProblem("x".repeat(129))).toBe("Use at most 128 characters.");
  });

  it("asks for a display name of 1 to 64 characters without control characters", () => {
    expect(displayNameProblem("   ")).toBe("Enter the name to show in the app.");
    expect(displayNameProblem("Ada\u0007")).toMatch(/letters, digits/);
    expect(displayNameProblem("é".repeat(64))).toBeUndefined();
    expect(displayNameProblem("é".repeat(65))).toBe("Use at most 64 characters.");
  });
});
