import { describe, expect, it, vi } from "vitest";
import type { Logger } from "../logging/logger.js";
import { problemsOf } from "../testing/config-problems.js";
import { announceDevelopmentMode, deploymentModeOf, refuseInProduction } from "./deployment.js";
import { embeddedInfrastructure, loadInfrastructureConfig } from "./infrastructure-config.js";

const production = { BOURSE_ENV: "production" };
const clustered = {
  STORE: "dynamodb",
  DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
  LOCKS: "redis",
  REDIS_URL: "redis://127.0.0.1:6379",
};

describe("deployment mode", () => {
  it("is development unless BOURSE_ENV says production, and refuses anything else", () => {
    expect(deploymentModeOf("svc", {})).toBe("development");
    expect(deploymentModeOf("svc", production)).toBe("production");
    expect(problemsOf(() => deploymentModeOf("svc", { BOURSE_ENV: "prod" }))).toEqual([
      expect.stringMatching(/^BOURSE_ENV: /),
    ]);
  });

  it("refuses each refused setting on its own line, only in production", () => {
    const rules = [
      { setting: "A", refused: true, reason: "a is bad" },
      { setting: "B", refused: false, reason: "b is fine" },
      { setting: "C", refused: true, reason: "c is bad" },
    ];
    expect(problemsOf(() => refuseInProduction("svc", {}, rules))).toEqual([]);
    expect(problemsOf(() => refuseInProduction("svc", production, rules))).toEqual([
      "A: a is bad (refused under BOURSE_ENV=production)",
      "C: c is bad (refused under BOURSE_ENV=production)",
    ]);
  });

  it("refuses the embedded store, in-process locks and the in-process bus in production, for every service", () => {
    expect(problemsOf(() => loadInfrastructureConfig("orders", production))).toEqual([
      expect.stringMatching(/^STORE: .*STORE=dynamodb.*refused under BOURSE_ENV=production/),
      expect.stringMatching(/^LOCKS: .*LOCKS=redis.*refused under BOURSE_ENV=production/),
      expect.stringMatching(/^REDIS_URL: .*message bus.*refused under BOURSE_ENV=production/),
    ]);
    expect(
      problemsOf(() => loadInfrastructureConfig("orders", { ...production, STORE: "dynamodb" })),
    ).toEqual([expect.stringMatching(/^LOCKS: /), expect.stringMatching(/^REDIS_URL: /)]);
    expect(loadInfrastructureConfig("orders", { ...production, ...clustered })).toMatchObject(clustered);
    expect(embeddedInfrastructure(loadInfrastructureConfig("orders", {}))).toEqual([
      "in-memory store",
      "in-process locks",
    ]);
    expect(embeddedInfrastructure(loadInfrastructureConfig("orders", clustered))).toEqual([]);
  });

  it("announces development mode once per process, naming what is embedded", () => {
    const warn = vi.fn();
    const logger = { warn } as unknown as Logger;
    announceDevelopmentMode(logger, ["in-memory store", "simulated funding"]);
    announceDevelopmentMode(logger, ["in-memory store"]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toBe(
      "development mode (BOURSE_ENV=development): in-memory store, simulated funding; set BOURSE_ENV=production in a cluster",
    );
  });
});
