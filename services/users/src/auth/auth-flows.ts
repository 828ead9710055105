import { randomUUID } from "node:crypto";
import { unauthenticated, unavailable } from "@bourse/common";
import type { User } from "../domain/user.js";
import type { RefreshTokenRecord, SessionStore } from "../store/session-store.js";
import type { UserStore } from "../store/user-store.js";
import type { AccessTokenIssuer } from "./access-tokens.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { PasswordHasher } from "./password-hasher.js";
import { isWellFormedRefreshToken, newRefreshToken, refreshTokenHash } from "./refresh-token.js";
import { openSuccessor, sealSuccessor } from "./successor-seal.js";

export interface IssuedTokens {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: Date;
}

export interface SignedIn {
  readonly user: User;
  readonly tokens: IssuedTokens;
}

/** What happened, for metrics; never carries who or which token. */
export type AuthEvent =
  | "register"
  | "login"
  | "login_failed"
  | "refresh"
  | "refresh_repeat"
  | "refresh_reuse"
  | "logout";

export interface AuthFlowDeps {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly hasher: PasswordHasher;
  /** See dummyPasswordHash. */
  readonly dummyHash: string;
  readonly accessTokens: AccessTokenIssuer;
  /** A refresh token's own lifetime; each rotation starts it again, up to the session's end. */
  readonly refreshTtlSeconds: number;
  /** A session's absolute lifetime from sign-in; rotations never extend it. */
  readonly sessionMaxLifetimeSeconds: number;
  /** How long after a rotation the spent token still gets the same pair again instead of revoking. */
  readonly reuseIntervalSeconds: number;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly onEvent?: (event: AuthEvent) => void;
  /** Per-account and per-address sign-in budgets, checked before any password is hashed. */
  readonly loginThrottle?: LoginThrottle;
}

/** One message for every failed sign-in, so that it tells nothing about which part was wrong. */
const WRONG_CREDENTIALS = "wrong email or password";
const INVALID_REFRESH = "invalid, expired or revoked refresh token";
/** Rotations lost to DynamoDB transaction conflicts are tried again this many times in all. */
const MAX_ROTATION_ATTEMPTS = 3;

/** Registration, sign-in and the refresh-token lifecycle, over validated input. */
export function createAuthFlows(deps: AuthFlowDeps) {
  const note = (event: AuthEvent) => deps.onEvent?.(event);

  async function issue(user: User, at: Date, sessionEnd: Date) {
    const refreshToken = newRefreshToken();
    const refreshTokenExpiresAt = new Date(
      Math.min(at.getTime() + deps.refreshTtlSeconds * 1000, sessionEnd.getTime()),
    );
    const access = await deps.accessTokens.issue(user);
    const tokens: IssuedTokens = {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt,
    };
    return {
      tokens,
      stored: { tokenHash: refreshTokenHash(refreshToken), expiresAt: refreshTokenExpiresAt },
    };
  }

  async function startSession(user: User): Promise<IssuedTokens> {
    const at = deps.now();
    const familyId = randomUUID();
    const sessionEnd = new Date(at.getTime() + deps.sessionMaxLifetimeSeconds * 1000);
    const { tokens, stored } = await issue(user, at, sessionEnd);
    await deps.sessions.start(user.id, familyId, stored, sessionEnd, at);
    return tokens;
  }

  /**
   * The token's record if it may be used: unknown, malformed and expired tokens, and tokens of a
   * revoked or ended session, are all alike. Expiry is checked here because the table's time to live
   * deletes items late.
   */
  async function usableToken(refreshToken: string) {
    if (!isWellFormedRefreshToken(refreshToken)) return undefined;
    const record = await deps.sessions.findToken(refreshTokenHash(refreshToken));
    const now = deps.now();
    if (!record || record.expiresAt <= now || record.sessionExpiresAt <= now) return undefined;
    return record;
  }

  async function isLive(record: RefreshTokenRecord) {
    const session = await deps.sessions.session(record.userId, record.familyId);
    return session !== undefined && !session.revoked && session.expiresAt > deps.now();
  }

  /** The pair this spent token was rotated into, when it is presented again within the interval. */
  function repeatedPair(refreshToken: string, record: RefreshTokenRecord) {
    if (!record.rotatedAt || !record.sealedSuccessor) return undefined;
    const repeatUntil = record.rotatedAt.getTime() + deps.reuseIntervalSeconds * 1000;
    if (deps.now().getTime() >= repeatUntil) return undefined;
    return openSuccessor(refreshToken, record.sealedSuccessor);
  }

  return {
    async register(input: { email: string; password: string; displayName: string }): Promise<SignedIn> {
      const at = deps.now();
      const user: User = {
        id: deps.newId(),
        email: input.email,
        displayName: input.displayName,
        // Never a privilege: admins are made by an operator (src/admin), not by whoever registers first.
        role: "customer",
        passwordHash: await deps.hasher.hash(input.password),
        createdAt: at,
        updatedAt: at,
      };
      await deps.users.create(user);
      note("register");
      return { user, tokens: await startSession(user) };
    },

    /**
     * An unknown email is checked against a dummy hash, so it costs what a wrong password costs, and
     * counts against the throttle like a known one. `clientAddress` is the caller's, for its budget.
     */
    async login(input: { email: string; password: string; clientAddress?: string }): Promise<SignedIn> {
      await deps.loginThrottle?.admit(input.email, input.clientAddress);
      const user = await deps.users.findByEmail(input.email);
      const matches = await deps.hasher.verify(user?.passwordHash ?? deps.dummyHash, input.password);
      if (!user || !matches) {
        note("login_failed");
        throw unauthenticated(WRONG_CREDENTIALS);
      }
      await deps.loginThrottle?.succeeded(input.email, input.clientAddress);
      note("login");
      return { user, tokens: await startSession(user) };
    },

    /**
     * Rotates the token. Presenting it again within the reuse interval (a double submit, a retry)
     * answers the same pair; after that, presenting a spent token revokes its whole family (it may
     * have been stolen).
     */
    async refresh(refreshToken: string): Promise<IssuedTokens> {
      let record = await usableToken(refreshToken);
      if (!record || !(await isLive(record))) throw unauthenticated(INVALID_REFRESH);
      const user = await deps.users.get(record.userId);
      if (!user) throw unauthenticated(INVALID_REFRESH);
      for (let attempt = 0; attempt < MAX_ROTATION_ATTEMPTS && record && !record.rotated; attempt++) {
        const { tokens, stored } = await issue(user, deps.now(), record.sessionExpiresAt);
        const sealed = sealSuccessor(refreshToken, tokens);
        const outcome = await deps.sessions.rotate(record, stored, sealed, deps.now());
        if (outcome === "rotated") {
          note("refresh");
          return tokens;
        }
        if (outcome === "revoked") throw unauthenticated(INVALID_REFRESH);
        // Spent by a concurrent refresh (or contended): read again to learn what it was rotated into.
        record = await deps.sessions.findToken(record.tokenHash);
      }
      if (!record) throw unauthenticated(INVALID_REFRESH);
      if (!record.rotated) throw unavailable("the session is busy; try again");
      const repeated = repeatedPair(refreshToken, record);
      if (repeated) {
        note("refresh_repeat");
        return repeated;
      }
      await deps.sessions.revoke(record.userId, record.familyId, deps.now());
      note("refresh_reuse");
      throw unauthenticated(INVALID_REFRESH);
    },

    /** Revokes the token's family; unknown and already revoked tokens succeed too. */
    async logout(refreshToken: string): Promise<void> {
      const record = await usableToken(refreshToken);
      if (record) await deps.sessions.revoke(record.userId, record.familyId, deps.now());
      note("logout");
    },
  };
}

export type AuthFlows = ReturnType<typeof createAuthFlows>;
