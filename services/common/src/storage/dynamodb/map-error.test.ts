import { describe, expect, it } from "vitest";
import { InvalidCursorError, StoreLimitError, StoreValidationError } from "../errors.js";
import { toStoreError } from "./map-error.js";

const validation = (message: string) => Object.assign(new Error(message), { name: "ValidationException" });

describe("toStoreError", () => {
  it("tells the size limits apart by DynamoDB's messages, as AWS words them", () => {
    const cases = [
      ["Item size has exceeded the maximum allowed size", "itemSize"],
      ["Item size to update has exceeded the maximum allowed size", "itemSize"],
      [
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
        "keySize",
      ],
      [
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
        "keySize",
      ],
      ["Transaction request cannot be larger than 4 MB", "transactionSize"],
      ["Nesting Levels have exceeded supported limits", "nesting"],
    ] as const;
    for (const [message, limit] of cases) {
      const error = toStoreError(validation(message));
      expect(error).toBeInstanceOf(StoreLimitError);
      expect((error as StoreLimitError).limit).toBe(limit);
    }
  });

  it("reports refused starting keys as invalid cursors and anything else as a plain validation error", () => {
    const cursor = toStoreError(
      validation("The provided starting key is invalid: The provided key element does not match the schema"),
    );
    expect(cursor).toBeInstanceOf(InvalidCursorError);
    const other = toStoreError(
      validation("Transaction request cannot include multiple operations on one item"),
    );
    expect(other).toBeInstanceOf(StoreValidationError);
    expect(other).not.toBeInstanceOf(StoreLimitError);
  });
});
