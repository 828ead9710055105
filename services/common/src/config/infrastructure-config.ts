import { z } from "zod";
import { serviceCredentialVar } from "../auth/service-credential.js";
import type { LockServiceConfig } from "../locks/create-lock-service.js";
import type { StoreConfig } from "../storage/create-store.js";
import { refuseInProduction } from "./deployment.js";
import { type Env, loadConfig } from "./env.js";

/** DynamoDB's own rule for table names. */
export const tableNameVar = z
  .string()
  .regex(/^[\w.-]{3,255}$/, "3 to 255 letters, digits, '_', '-' or '.'")
  .default("bourse");

/** The h2c URL of `npm start`'s embedded state service. */
export const embeddedStateUrlVar = z
  .url()
  .refine((url) => /^https?:\/\//.test(url), "must be an http:// or https:// URL");

/** Where state and locks live. The defaults are the embedded, in-process adapters. */
export const infrastructureConfigSchema = z
  .object({
    STORE: z.enum(["memory", "dynamodb"]).default("memory"),
    DYNAMODB_TABLE: tableNameVar,
    /** DynamoDB Local or another compatible endpoint; unset means AWS. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().min(1).default("us-east-1"),
    LOCKS: z.enum(["memory", "redis"]).default("memory"),
    REDIS_URL: z
      .url()
      .refine((url) => /^rediss?:\/\//.test(url), "must be a redis:// or rediss:// URL")
      .optional(),
    /**
     * The embedded state service of `npm start`'s launcher (h2c URL): a service in its own process then
     * keeps its embedded store (STORE=memory) and in-process locks (LOCKS=memory) there, shared with the
     * other services, instead of in its own memory.
     */
    EMBEDDED_STATE_URL: embeddedStateUrlVar.optional(),
    /** Opens the embedded state service; required with EMBEDDED_STATE_URL. */
    SERVICE_CREDENTIAL: serviceCredentialVar.optional(),
  })
  .refine((config) => config.LOCKS !== "redis" || config.REDIS_URL !== undefined, {
    message: "is required when LOCKS=redis",
    path: ["REDIS_URL"],
  })
  .refine((config) => config.EMBEDDED_STATE_URL === undefined || config.SERVICE_CREDENTIAL !== undefined, {
    message: "is required when EMBEDDED_STATE_URL is set",
    path: ["SERVICE_CREDENTIAL"],
  });

export type InfrastructureConfig = z.infer<typeof infrastructureConfigSchema>;

/** Refuses, under `BOURSE_ENV=production`, the embedded store, in-process locks and the in-process bus. */
export function loadInfrastructureConfig(service: string, env: Env): InfrastructureConfig {
  const config = loadConfig(service, infrastructureConfigSchema, env);
  refuseInProduction(service, env, [
    {
      setting: "STORE",
      refused: config.STORE === "memory",
      reason: "the embedded store lives in one process and is lost when it exits; set STORE=dynamodb",
    },
    {
      setting: "LOCKS",
      refused: config.LOCKS === "memory",
      reason: "in-process locks do not exclude other replicas; set LOCKS=redis and REDIS_URL",
    },
    {
      setting: "REDIS_URL",
      refused: config.REDIS_URL === undefined,
      reason: "the in-process message bus does not reach other replicas (their market data); set REDIS_URL",
    },
    {
      setting: "EMBEDDED_STATE_URL",
      refused: config.EMBEDDED_STATE_URL !== undefined,
      reason: "the embedded state lives in the memory of npm start's launcher; use DynamoDB and Redis",
    },
  ]);
  return config;
}

/** What of the infrastructure is a development stand-in, for the development-mode notice. */
export function embeddedInfrastructure(config: InfrastructureConfig): string[] {
  const where = config.EMBEDDED_STATE_URL === undefined ? "" : " of the launcher";
  return [
    ...(config.STORE === "memory" ? [`in-memory store${where}`] : []),
    ...(config.LOCKS === "memory" ? [`in-process locks${where}`] : []),
  ];
}

/** The embedded state service to use instead of this process's memory, when EMBEDDED_STATE_URL is set. */
function embeddedStateOf(config: InfrastructureConfig): { url: string; credential: string } | undefined {
  const { EMBEDDED_STATE_URL: url, SERVICE_CREDENTIAL: credential } = config;
  return url === undefined || credential === undefined ? undefined : { url, credential };
}

export function storeConfigOf(config: InfrastructureConfig): StoreConfig {
  const remote = embeddedStateOf(config);
  if (config.STORE === "memory") return remote ? { kind: "remote", ...remote } : { kind: "memory" };
  return {
    kind: "dynamodb",
    tableName: config.DYNAMODB_TABLE,
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
  };
}

export function lockConfigOf(config: InfrastructureConfig): LockServiceConfig {
  if (config.LOCKS === "redis" && config.REDIS_URL) return { kind: "redis", url: config.REDIS_URL };
  const remote = embeddedStateOf(config);
  return remote ? { kind: "remote", ...remote } : { kind: "memory" };
}
