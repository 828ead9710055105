import { describe, expect, it } from "vitest";
import { ConditionFailedError, StoreValidationError, TransactionCanceledError } from "./errors.js";
import { retryOnConflict } from "./retry-on-conflict.js";

const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const exhausted = () => new Error("exhausted");

/** An attempt that throws the given errors in turn, then succeeds. */
function failing(...errors: Error[]): { attempt: () => Promise<string>; runs: () => number } {
  let runs = 0;
  return {
    attempt: async () => {
      const error = errors[runs++];
      if (error) throw error;
      return "done";
    },
    runs: () => runs,
  };
}

describe("retryOnConflict", () => {
  it("runs an attempt that lost a race again until it succeeds", async () => {
    const { attempt, runs } = failing(
      new ConditionFailedError(),
      new TransactionCanceledError(["None", "TransactionConflict"]),
    );
    expect(await retryOnConflict(attempt, policy, exhausted)).toBe("done");
    expect(runs()).toBe(3);
  });

  it("gives the exhausted error after maxAttempts lost races", async () => {
    const conflict = () => new TransactionCanceledError(["ConditionalCheckFailed"]);
    const { attempt, runs } = failing(conflict(), conflict(), conflict(), conflict());
    await expect(retryOnConflict(attempt, policy, exhausted)).rejects.toThrow("exhausted");
    expect(runs()).toBe(3);
  });

  it("ends at once on anything that is not a lost race", async () => {
    for (const error of [
      new StoreValidationError("bad request"),
      new TransactionCanceledError(["ConditionalCheckFailed", "ValidationError"]),
      new Error("boom"),
    ]) {
      const { attempt, runs } = failing(error);
      await expect(retryOnConflict(attempt, policy, exhausted)).rejects.toBe(error);
      expect(runs()).toBe(1);
    }
  });
});
