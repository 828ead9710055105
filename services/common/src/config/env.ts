import { z } from "zod";

/** Thrown when environment variables do not satisfy a service's config schema. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration for ${service}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `env` with a zod object schema whose keys are environment variable names.
 * Every bad variable is reported at once, by name, with what was wrong; values are not echoed
 * because they may be secrets.
 */
export function loadConfig<Schema extends z.ZodType>(
  service: string,
  schema: Schema,
  env: Env,
): z.infer<Schema> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** A TCP port number given as a string; 0 asks the kernel for a free one. */
export const portVar = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A duration in milliseconds given as a string. */
export const millisecondsVar = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** A boolean flag given as "true"/"false"/"1"/"0". */
export const flagVar = (fallback: boolean) => flag.default(fallback);

/** A flag whose default the service decides later (e.g. by deployment mode): undefined when unset. */
export const optionalFlagVar = () => flag.optional();
