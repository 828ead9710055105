import type { Role } from "@bourse/common/auth";
import type { Store } from "@bourse/common/storage";
import { normalizeEmail } from "../domain/fields.js";
import { UserStore } from "../store/user-store.js";

/** What an operator's role change did; `no_account` when nobody has that email. */
export type RoleChange = "changed" | "unchanged" | "no_account";

/**
 * Gives the account with this email `role`: the operator's way to make (or unmake) an admin, since
 * registration never grants a role. Access tokens already issued keep their role until they expire
 * (15 minutes at most); the next refresh or sign-in carries the new one.
 */
export async function setRoleByEmail(store: Store, email: string, role: Role, at: Date): Promise<RoleChange> {
  const users = new UserStore(store);
  const user = await users.findByEmail(normalizeEmail(email));
  if (!user) return "no_account";
  if (user.role === role) return "unchanged";
  return (await users.update(user.id, { role }, at)) ? "changed" : "no_account";
}
