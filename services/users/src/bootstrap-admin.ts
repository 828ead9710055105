import type { Logger } from "@bourse/common";
import { normalizeEmail } from "./domain/fields.js";
import type { UserStore } from "./store/user-store.js";

/**
 * Makes the account with the configured email an admin if it exists already; if it does not, it
 * becomes one when it registers. Runs at every startup, so setting the variable later works too.
 */
export async function promoteBootstrapAdmin(
  users: UserStore,
  email: string | undefined,
  now: Date,
  logger: Logger,
): Promise<void> {
  if (email === undefined) return;
  const user = await users.findByEmail(normalizeEmail(email));
  if (!user || user.role === "admin") return;
  await users.update(user.id, { role: "admin" }, now);
  logger.info({ user_id: user.id }, "bootstrap admin promoted");
}
