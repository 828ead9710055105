import { ConfigError } from "../config/env.js";

/** The problems a configuration loader reports in its ConfigError; none when it loads. */
export function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
