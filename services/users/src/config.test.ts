import { problemsOf } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { loadUsersConfig } from "./config.js";

const credential = { SERVICE_CREDENTIAL: "c".repeat(40) };
const production = { ...credential, BOURSE_ENV: "production", JWT_KEYS: '[{"kid":"k","pem":"..."}]' };

describe("users configuration", () => {
  it("funds simulated money by default in development, not in production", () => {
    expect(loadUsersConfig(credential).SIMULATED_FUNDING).toBe(true);
    expect(loadUsersConfig({ ...credential, SIMULATED_FUNDING: "false" }).SIMULATED_FUNDING).toBe(false);
    expect(loadUsersConfig(production).SIMULATED_FUNDING).toBe(false);
    expect(loadUsersConfig({ ...production, SIMULATED_FUNDING: "0" }).SIMULATED_FUNDING).toBe(false);
  });

  it("refuses in production generated signing keys and simulated funding, one line each", () => {
    const { JWT_KEYS: _, ...withoutKeys } = production;
    expect(problemsOf(() => loadUsersConfig({ ...withoutKeys, SIMULATED_FUNDING: "true" }))).toEqual([
      expect.stringMatching(/^JWT_KEYS: .*refused under BOURSE_ENV=production\)$/),
      expect.stringMatching(/^SIMULATED_FUNDING: .*refused under BOURSE_ENV=production\)$/),
    ]);
    expect(problemsOf(() => loadUsersConfig({ ...production, SIMULATED_FUNDING: "1" }))).toEqual([
      expect.stringMatching(/^SIMULATED_FUNDING: /),
    ]);
    expect(problemsOf(() => loadUsersConfig({ ...withoutKeys, BOURSE_ENV: "development" }))).toEqual([]);
  });

  it("refuses a missing service credential, in production as in development", () => {
    const { SERVICE_CREDENTIAL: _, ...withoutCredential } = production;
    expect(problemsOf(() => loadUsersConfig(withoutCredential))).toEqual([
      expect.stringMatching(/^SERVICE_CREDENTIAL: /),
    ]);
    expect(problemsOf(() => loadUsersConfig({}))).toEqual([
      expect.stringMatching(/^SERVICE_CREDENTIAL: is required/),
    ]);
  });
});
