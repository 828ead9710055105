import { isRole, type Role } from "@bourse/common/auth";
import {
  ConditionFailedError,
  cond,
  type Item,
  type Store,
  TransactionCanceledError,
} from "@bourse/common/storage";
import type { User } from "../domain/user.js";
import { alreadyExists } from "../errors.js";
import { emailKey, userKey } from "./keys.js";

function userItem(user: User): Item {
  return {
    ...userKey(user.id),
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    passwordHash: user.passwordHash,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

function userFromItem(item: Item): User {
  const { userId, email, displayName, role, passwordHash, createdAt, updatedAt } = item;
  if (
    typeof userId !== "string" ||
    typeof email !== "string" ||
    typeof displayName !== "string" ||
    !isRole(role) ||
    typeof passwordHash !== "string" ||
    typeof createdAt !== "string" ||
    typeof updatedAt !== "string"
  ) {
    throw new Error(`malformed user item ${item.PK}`);
  }
  return {
    id: userId,
    email,
    displayName,
    role,
    passwordHash,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
  };
}

/** Users and the email index that keeps their emails unique. */
export class UserStore {
  constructor(private readonly store: Store) {}

  /** Creates the user and claims its email in one transaction; `already_exists` if the email is taken. */
  async create(user: User): Promise<void> {
    try {
      await this.store.transactWrite([
        { kind: "put", item: userItem(user), condition: cond.notExists("PK") },
        {
          kind: "put",
          item: { ...emailKey(user.email), userId: user.id, createdAt: user.createdAt.toISOString() },
          condition: cond.notExists("PK"),
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionCanceledError && error.reasons[1] === "ConditionalCheckFailed") {
        throw alreadyExists("an account with this email already exists");
      }
      throw error;
    }
  }

  async get(userId: string): Promise<User | undefined> {
    const item = await this.store.get(userKey(userId));
    return item && userFromItem(item);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const claim = await this.store.get(emailKey(email));
    return typeof claim?.userId === "string" ? this.get(claim.userId) : undefined;
  }

  /** Sets the fields given; undefined when the user does not exist. */
  async update(
    userId: string,
    changes: { readonly displayName?: string; readonly role?: Role },
    at: Date,
  ): Promise<User | undefined> {
    const set: Record<string, string> = { updatedAt: at.toISOString() };
    if (changes.displayName !== undefined) set.displayName = changes.displayName;
    if (changes.role !== undefined) set.role = changes.role;
    try {
      return userFromItem(
        await this.store.update(userKey(userId), { set }, { condition: cond.exists("PK") }),
      );
    } catch (error) {
      if (error instanceof ConditionFailedError) return undefined;
      throw error;
    }
  }
}
