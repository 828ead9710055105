import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, flagVar, loadConfig, portVar } from "./env.js";
import { loadInfrastructureConfig, lockConfigOf, storeConfigOf } from "./infrastructure-config.js";
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

describe("loadInfrastructureConfig", () => {
  it("defaults to the embedded store and in-process locks", () => {
    const config = loadInfrastructureConfig("users", {});
    expect(storeConfigOf(config)).toEqual({ kind: "memory" });
    expect(lockConfigOf(config)).toEqual({ kind: "memory" });
  });

  it("describes DynamoDB and Redis when configured", () => {
    const config = loadInfrastructureConfig("users", {
      STORE: "dynamodb",
      DYNAMODB_TABLE: "bourse-test",
      DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      LOCKS: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(storeConfigOf(config)).toEqual({
      kind: "dynamodb",
      tableName: "bourse-test",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:8000",
    });
    expect(lockConfigOf(config)).toEqual({ kind: "redis", url: "redis://127.0.0.1:6379" });
  });

  it("uses the launcher's embedded state for the embedded parts when EMBEDDED_STATE_URL is set", () => {
    const credential = "c".repeat(32);
    const remote = { kind: "remote", url: "http://127.0.0.1:7000", credential };
    const embedded = loadInfrastructureConfig("users", {
      EMBEDDED_STATE_URL: "http://127.0.0.1:7000",
      SERVICE_CREDENTIAL: credential,
    });
    expect(storeConfigOf(embedded)).toEqual(remote);
    expect(lockConfigOf(embedded)).toEqual(remote);
    const redisLocks = loadInfrastructureConfig("users", {
      EMBEDDED_STATE_URL: "http://127.0.0.1:7000",
      SERVICE_CREDENTIAL: credential,
      LOCKS: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(storeConfigOf(redisLocks)).toEqual(remote);
    expect(lockConfigOf(redisLocks)).toEqual({ kind: "redis", url: "redis://127.0.0.1:6379" });
    expect(() => loadInfrastructureConfig("users", { EMBEDDED_STATE_URL: "http://127.0.0.1:7000" })).toThrow(
      /SERVICE_CREDENTIAL: is required when EMBEDDED_STATE_URL is set/,
    );
    expect(() =>
      loadInfrastructureConfig("users", {
        BOURSE_ENV: "production",
        STORE: "dynamodb",
        LOCKS: "redis",
        REDIS_URL: "redis://127.0.0.1:6379",
        EMBEDDED_STATE_URL: "http://127.0.0.1:7000",
        SERVICE_CREDENTIAL: credential,
      }),
    ).toThrow(/EMBEDDED_STATE_URL/);
  });

  it("requires REDIS_URL for Redis locks and rejects unknown adapters", () => {
    expect(() => loadInfrastructureConfig("users", { LOCKS: "redis" })).toThrow(/REDIS_URL: is required/);
    expect(() => loadInfrastructureConfig("users", { STORE: "postgres", REDIS_URL: "http://x" })).toThrow(
      /STORE[\s\S]*REDIS_URL/,
    );
  });
});
