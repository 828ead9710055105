import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { describeError } from "./errors.ts";

describe("describeError", () => {
  it("shows the server's message about the user's own input as a sentence", () => {
    expect(
      describeError(new ConnectError("password: is too common; choose another", Code.InvalidArgument)),
    ).toBe("Password: is too common; choose another.");
    expect(describeError(new ConnectError("insufficient USD balance", Code.FailedPrecondition))).toBe(
      "Insufficient USD balance.",
    );
    expect(describeError(new ConnectError("wrong email or password.", Code.Unauthenticated))).toBe(
      "Wrong email or password.",
    );
  });

  it("hides the server's own trouble behind a plain sentence", () => {
    expect(describeError(new ConnectError("dynamodb: ProvisionedThroughputExceeded", Code.Internal))).toBe(
      "Something went wrong on the exchange. Please try again.",
    );
    expect(describeError(new ConnectError("upstream connect error", Code.Unavailable))).toBe(
      "The exchange cannot be reached right now. Please try again in a moment.",
    );
  });

  it("says a failed fetch is a connection problem", () => {
    expect(describeError(new TypeError("Failed to fetch"))).toBe(
      "The exchange cannot be reached right now. Please try again in a moment.",
    );
  });

  it("never shows a raw code, for any code", () => {
    for (const code of Object.values(Code).filter((value): value is Code => typeof value === "number")) {
      for (const message of ["", "some detail"]) {
        const text = describeError(new ConnectError(message, code));
        expect(text).not.toMatch(/\[[a-z_]+\]/);
        expect(text).not.toMatch(/invalid_argument|failed_precondition|unauthenticated|permission_denied/);
        expect(text).toMatch(/^[A-Z].*[.!?]$/);
      }
    }
  });
});
