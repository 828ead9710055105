import type { Role } from "@bourse/common/auth";

/** A user account as stored. The id is a ULID and doubles as the account id of the user's balances. */
export interface User {
  readonly id: string;
  /** Normalised: trimmed and lower-cased. */
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  /** argon2id PHC string; never leaves the service. */
  readonly passwordHash: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
