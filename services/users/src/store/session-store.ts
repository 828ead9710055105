import { cond, type Item, type Store, TransactionCanceledError } from "@bourse/common/storage";
import { refreshTokenKey, sessionKey } from "./keys.js";

/** A stored refresh token: who it is for, its family, and whether it was already used. */
export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly userId: string;
  readonly familyId: string;
  readonly rotated: boolean;
  readonly expiresAt: Date;
}

export interface NewRefreshToken {
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

/** How a rotation ended: done, or refused because the token was spent or the family revoked meanwhile. */
export type RotationOutcome = "rotated" | "spent" | "revoked";

function tokenItem(userId: string, familyId: string, token: NewRefreshToken, at: Date): Item {
  return {
    ...refreshTokenKey(token.tokenHash),
    userId,
    familyId,
    rotated: false,
    expiresAt: token.expiresAt.toISOString(),
    createdAt: at.toISOString(),
  };
}

/** Refresh-token families (sessions) and their tokens, stored by hash only. */
export class SessionStore {
  constructor(private readonly store: Store) {}

  /** Starts a family with its first token. */
  async start(userId: string, familyId: string, token: NewRefreshToken, at: Date): Promise<void> {
    await this.store.transactWrite([
      {
        kind: "put",
        item: { ...sessionKey(userId, familyId), familyId, revoked: false, createdAt: at.toISOString() },
        condition: cond.notExists("PK"),
      },
      { kind: "put", item: tokenItem(userId, familyId, token, at), condition: cond.notExists("PK") },
    ]);
  }

  async findToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const item = await this.store.get(refreshTokenKey(tokenHash));
    if (!item) return undefined;
    const { userId, familyId, rotated, expiresAt } = item;
    if (typeof userId !== "string" || typeof familyId !== "string" || typeof expiresAt !== "string") {
      throw new Error("malformed refresh token item");
    }
    return { tokenHash, userId, familyId, rotated: rotated === true, expiresAt: new Date(expiresAt) };
  }

  async isRevoked(userId: string, familyId: string): Promise<boolean> {
    const session = await this.store.get(sessionKey(userId, familyId));
    return session?.revoked !== false;
  }

  /**
   * Spends `current` and issues `next` in its family, all or nothing: only if `current` is unspent
   * and the family is not revoked, so two concurrent refreshes with one token cannot both succeed.
   */
  async rotate(current: RefreshTokenRecord, next: NewRefreshToken, at: Date): Promise<RotationOutcome> {
    const { userId, familyId } = current;
    try {
      await this.store.transactWrite([
        {
          kind: "update",
          key: refreshTokenKey(current.tokenHash),
          update: { set: { rotated: true, rotatedAt: at.toISOString() } },
          condition: cond.eq("rotated", false),
        },
        { kind: "put", item: tokenItem(userId, familyId, next, at), condition: cond.notExists("PK") },
        { kind: "conditionCheck", key: sessionKey(userId, familyId), condition: cond.eq("revoked", false) },
      ]);
      return "rotated";
    } catch (error) {
      if (!(error instanceof TransactionCanceledError)) throw error;
      if (error.reasons[0] === "ConditionalCheckFailed") return "spent";
      if (error.reasons[2] === "ConditionalCheckFailed") return "revoked";
      throw error;
    }
  }

  /** Ends the family: none of its tokens refreshes any more. */
  async revoke(userId: string, familyId: string, at: Date): Promise<void> {
    await this.store.update(
      sessionKey(userId, familyId),
      { set: { revoked: true, revokedAt: at.toISOString() } },
      { condition: cond.exists("PK") },
    );
  }
}
