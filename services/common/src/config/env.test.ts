import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, flagVar, loadConfig, portVar } from "./env.js";
import { loadRuntimeConfig } from "./runtime-config.js";

describe("loadConfig", () => {
  const schema = z.object({ PORT: portVar(8080), DEBUG: flagVar(false), NAME: z.string().min(3) });

  it("applies defaults and coerces types", () => {
    expect(loadConfig("svc", schema, { NAME: "abc" })).toEqual({ PORT: 8080, DEBUG: false, NAME: "abc" });
    expect(loadConfig("svc", schema, { NAME: "abc", PORT: "1", DEBUG: "true" })).toEqual({
      PORT: 1,
      DEBUG: true,
      NAME: "abc",
    });
  });

  it("names every bad variable without echoing its value", () => {
    let caught: unknown;
    try {
      loadConfig("svc", schema, { PORT: "99999", DEBUG: "maybe", NAME: "secret-but-fine" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain("PORT:");
    expect(error.message).toContain("DEBUG:");
    expect(error.message).not.toContain("99999");
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig("svc", schema, { NAME: "abc", PORT: "" }).PORT).toBe(8080);
  });
});

describe("loadRuntimeConfig", () => {
  it("has working defaults", () => {
    const config = loadRuntimeConfig("users", {});
    expect(config.RPC_PORT).toBe(50051);
    expect(config.LOG_LEVEL).toBe("info");
  });

  it("rejects an unknown log level and a malformed OTLP endpoint", () => {
    expect(() =>
      loadRuntimeConfig("users", { LOG_LEVEL: "loud", OTEL_EXPORTER_OTLP_ENDPOINT: "nope" }),
    ).toThrow(/LOG_LEVEL[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
