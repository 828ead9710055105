import { problemsOf } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { loadMatchingConfig } from "./config.js";

const required = { SERVICE_CREDENTIAL: "a-service-credential-of-32-characters" };

describe("loadMatchingConfig", () => {
  it("cuts settlement transactions at DynamoDB's 100 items unless told otherwise", () => {
    expect(loadMatchingConfig(required).MATCHING_MAX_TRANSACTION_ITEMS).toBe(100);
    expect(
      loadMatchingConfig({ ...required, MATCHING_MAX_TRANSACTION_ITEMS: "24" })
        .MATCHING_MAX_TRANSACTION_ITEMS,
    ).toBe(24);
  });

  it("refuses a transaction size that cannot hold one fill or that DynamoDB refuses", () => {
    for (const size of ["23", "101", "50.5"]) {
      expect(
        problemsOf(() => loadMatchingConfig({ ...required, MATCHING_MAX_TRANSACTION_ITEMS: size })),
        size,
      ).toEqual([expect.stringMatching(/^MATCHING_MAX_TRANSACTION_ITEMS: /)]);
    }
  });
});
