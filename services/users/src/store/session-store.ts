import {
  cond,
  type Item,
  type Store,
  TIME_TO_LIVE_ATTRIBUTE,
  TransactionCanceledError,
  timeToLiveOf,
} from "@bourse/common/storage";
import { refreshTokenKey, sessionKey } from "./keys.js";

/** A stored refresh token: who it is for, its family, and whether (and into what) it was rotated. */
export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly userId: string;
  readonly familyId: string;
  readonly rotated: boolean;
  /** When it was spent, and the pair it was spent for, sealed (see successor-seal.ts). */
  readonly rotatedAt?: Date;
  readonly sealedSuccessor?: string;
  readonly expiresAt: Date;
  /** The family's absolute end, which no rotation moves. */
  readonly sessionExpiresAt: Date;
}

export interface NewRefreshToken {
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

/** A family's state: revoked, or live until its absolute end. */
export interface SessionState {
  readonly revoked: boolean;
  readonly expiresAt: Date;
}

/**
 * How a rotation ended: done; refused because the token was spent or the family revoked meanwhile;
 * or lost to a concurrent transaction on the same items (DynamoDB), which a new read settles.
 */
export type RotationOutcome = "rotated" | "spent" | "revoked" | "conflict";

const fromSeconds = (seconds: unknown): Date | undefined =>
  typeof seconds === "number" ? new Date(seconds * 1000) : undefined;

function tokenItem(
  userId: string,
  familyId: string,
  token: NewRefreshToken,
  sessionEnd: Date,
  at: Date,
): Item {
  return {
    ...refreshTokenKey(token.tokenHash),
    userId,
    familyId,
    rotated: false,
    [TIME_TO_LIVE_ATTRIBUTE]: timeToLiveOf(token.expiresAt),
    sessionExpiresAt: timeToLiveOf(sessionEnd),
    createdAt: at.toISOString(),
  };
}

/**
 * Refresh-token families (sessions) and their tokens, stored by hash only. Both carry the table's
 * time-to-live attribute (epoch seconds) so that DynamoDB deletes them once they can no longer be
 * used; deletion is lazy, so the flows still compare the expiry themselves.
 */
export class SessionStore {
  constructor(private readonly store: Store) {}

  /** Starts a family, which ends at `sessionEnd` whatever happens, with its first token. */
  async start(
    userId: string,
    familyId: string,
    token: NewRefreshToken,
    sessionEnd: Date,
    at: Date,
  ): Promise<void> {
    await this.store.transactWrite([
      {
        kind: "put",
        item: {
          ...sessionKey(userId, familyId),
          familyId,
          revoked: false,
          createdAt: at.toISOString(),
          [TIME_TO_LIVE_ATTRIBUTE]: timeToLiveOf(sessionEnd),
        },
        condition: cond.notExists("PK"),
      },
      {
        kind: "put",
        item: tokenItem(userId, familyId, token, sessionEnd, at),
        condition: cond.notExists("PK"),
      },
    ]);
  }

  async findToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const item = await this.store.get(refreshTokenKey(tokenHash));
    if (!item) return undefined;
    const { userId, familyId, rotated, rotatedAt, sealedSuccessor } = item;
    const expiresAt = fromSeconds(item[TIME_TO_LIVE_ATTRIBUTE]);
    const sessionExpiresAt = fromSeconds(item.sessionExpiresAt);
    if (typeof userId !== "string" || typeof familyId !== "string" || !expiresAt || !sessionExpiresAt) {
      throw new Error("malformed refresh token item");
    }
    return {
      tokenHash,
      userId,
      familyId,
      rotated: rotated === true,
      rotatedAt: typeof rotatedAt === "string" ? new Date(rotatedAt) : undefined,
      sealedSuccessor: typeof sealedSuccessor === "string" ? sealedSuccessor : undefined,
      expiresAt,
      sessionExpiresAt,
    };
  }

  /** The family's state; undefined when it is gone (expired and deleted). */
  async session(userId: string, familyId: string): Promise<SessionState | undefined> {
    const item = await this.store.get(sessionKey(userId, familyId));
    const expiresAt = fromSeconds(item?.[TIME_TO_LIVE_ATTRIBUTE]);
    if (!item || !expiresAt) return undefined;
    return { revoked: item.revoked !== false, expiresAt };
  }

  /**
   * Spends `current` and issues `next` in its family, all or nothing: only if `current` is unspent
   * and the family is not revoked, so two concurrent refreshes with one token cannot both succeed.
   * `sealedSuccessor` is kept on the spent token so that a repeat can be answered with the same pair.
   */
  async rotate(
    current: RefreshTokenRecord,
    next: NewRefreshToken,
    sealedSuccessor: string,
    at: Date,
  ): Promise<RotationOutcome> {
    const { userId, familyId } = current;
    try {
      await this.store.transactWrite([
        {
          kind: "update",
          key: refreshTokenKey(current.tokenHash),
          update: { set: { rotated: true, rotatedAt: at.toISOString(), sealedSuccessor } },
          condition: cond.eq("rotated", false),
        },
        {
          kind: "put",
          item: tokenItem(userId, familyId, next, current.sessionExpiresAt, at),
          condition: cond.notExists("PK"),
        },
        { kind: "conditionCheck", key: sessionKey(userId, familyId), condition: cond.eq("revoked", false) },
      ]);
      return "rotated";
    } catch (error) {
      if (!(error instanceof TransactionCanceledError)) throw error;
      if (error.reasons[0] === "ConditionalCheckFailed") return "spent";
      if (error.reasons[2] === "ConditionalCheckFailed") return "revoked";
      if (error.reasons.includes("TransactionConflict")) return "conflict";
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
