import { z } from "zod";
import type { Logger } from "../logging/logger.js";
import { ConfigError, type Env, loadConfig } from "./env.js";

/**
 * `BOURSE_ENV`: `development` (the default, what `npm start` runs) allows the embedded store, in-process
 * locks, generated keys and simulated funding; `production` (what the Helm chart sets) refuses them.
 */
export const deploymentSchema = z.object({
  BOURSE_ENV: z.enum(["development", "production"]).default("development"),
});

export type DeploymentMode = z.infer<typeof deploymentSchema>["BOURSE_ENV"];

export function deploymentModeOf(service: string, env: Env): DeploymentMode {
  return loadConfig(service, deploymentSchema, env).BOURSE_ENV;
}

export const isProduction = (service: string, env: Env): boolean =>
  deploymentModeOf(service, env) === "production";

/** A setting that production mode refuses, when `refused` is true. */
export interface ProductionRule {
  /** The variable to change, e.g. `STORE`. */
  readonly setting: string;
  readonly refused: boolean;
  /** Why, and what to set instead; one line. */
  readonly reason: string;
}

/**
 * Fails closed: under `BOURSE_ENV=production`, throws a ConfigError with one line per refused setting.
 * Does nothing in development.
 */
export function refuseInProduction(service: string, env: Env, rules: readonly ProductionRule[]): void {
  if (!isProduction(service, env)) return;
  const problems = rules
    .filter((rule) => rule.refused)
    .map((rule) => `${rule.setting}: ${rule.reason} (refused under BOURSE_ENV=production)`);
  if (problems.length > 0) throw new ConfigError(service, problems);
}

let announced = false;

/**
 * Says, once per process (`npm start` runs every service in one), that this is development mode and
 * which stand-ins it runs with, so that nobody mistakes it for a deployment.
 */
export function announceDevelopmentMode(logger: Logger, embedded: readonly string[]): void {
  if (announced) return;
  announced = true;
  const what = embedded.length > 0 ? embedded.join(", ") : "no embedded stand-ins";
  logger.warn(
    { bourse_env: "development", embedded },
    `development mode (BOURSE_ENV=development): ${what}; set BOURSE_ENV=production in a cluster`,
  );
}
