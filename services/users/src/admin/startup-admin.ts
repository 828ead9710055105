import { readFileSync } from "node:fs";
import { ConfigError, type Logger } from "@bourse/common";
import type { PasswordHasher } from "../auth/password-hasher.js";
import { newPasswordField } from "../domain/fields.js";
import type { User } from "../domain/user.js";
import type { UserStore } from "../store/user-store.js";

/** The admin account an operator asks for at start-up, from secrets. */
export interface AdminCredentials {
  /** Normalised. */
  readonly email: string;
  readonly password: string;
}

/**
 * `ADMIN_EMAIL` with `ADMIN_PASSWORD` or `ADMIN_PASSWORD_FILE` (a mounted secret; one trailing newline
 * is dropped). Undefined without `ADMIN_EMAIL`; a ConfigError naming the variable when they do not fit.
 */
export function adminCredentialsOf(config: {
  readonly ADMIN_EMAIL?: string;
  readonly ADMIN_PASSWORD?: string;
  readonly ADMIN_PASSWORD_FILE?: string;
}): AdminCredentials | undefined {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: inline, ADMIN_PASSWORD_FILE: file } = config;
  const refuse = (problem: string): never => {
    throw new ConfigError("users", [problem]);
  };
  if (email === undefined) {
    if (inline !== undefined || file !== undefined) refuse("ADMIN_EMAIL: is required with ADMIN_PASSWORD");
    return undefined;
  }
  if (inline !== undefined && file !== undefined) {
    refuse("ADMIN_PASSWORD_FILE: set either ADMIN_PASSWORD or ADMIN_PASSWORD_FILE, not both");
  }
  let password = inline;
  if (file !== undefined) {
    try {
      password = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      refuse(`ADMIN_PASSWORD_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (password === undefined)
    return refuse("ADMIN_PASSWORD: is required with ADMIN_EMAIL (or ADMIN_PASSWORD_FILE)");
  const policy = newPasswordField.safeParse(password);
  if (!policy.success) refuse(`ADMIN_PASSWORD: ${policy.error.issues[0]?.message ?? "is not accepted"}`);
  return { email, password };
}

export interface StartupAdminDeps {
  readonly users: UserStore;
  readonly hasher: PasswordHasher;
  readonly newId: () => string;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** What start-up did with the configured admin account. */
export type StartupAdminOutcome = "created" | "exists" | "not_promoted";

/**
 * Creates the configured admin account if no account has its email. An existing account is never
 * changed: not its password (a restart must not silently reset it), and not its role, because an
 * account registered under that email before may belong to anyone (emails are not verified).
 */
export async function ensureStartupAdmin(
  deps: StartupAdminDeps,
  credentials: AdminCredentials,
): Promise<StartupAdminOutcome> {
  const existing = await deps.users.findByEmail(credentials.email);
  if (!existing) {
    const at = deps.now();
    const admin: User = {
      id: deps.newId(),
      email: credentials.email,
      displayName: "Administrator",
      role: "admin",
      passwordHash: await deps.hasher.hash(credentials.password),
      createdAt: at,
      updatedAt: at,
    };
    try {
      await deps.users.create(admin);
      deps.logger.info({ user_id: admin.id }, "admin account created from ADMIN_EMAIL");
      return "created";
    } catch (error) {
      // Another replica starting at the same moment may have created it first.
      const raced = await deps.users.findByEmail(credentials.email);
      if (!raced) throw error;
      return describeExisting(deps.logger, raced);
    }
  }
  return describeExisting(deps.logger, existing);
}

function describeExisting(logger: Logger, user: User): StartupAdminOutcome {
  if (user.role === "admin") {
    logger.info({ user_id: user.id }, "admin account from ADMIN_EMAIL exists; its password is left as it is");
    return "exists";
  }
  logger.warn(
    { user_id: user.id },
    "ADMIN_EMAIL names an existing customer account, which is not promoted: check who owns it, then run `npm run admin:grant -- <email>`",
  );
  return "not_promoted";
}
