import { randomUUID } from "node:crypto";
import { unauthenticated } from "@bourse/common";
import type { User } from "../domain/user.js";
import type { SessionStore } from "../store/session-store.js";
import type { UserStore } from "../store/user-store.js";
import type { AccessTokenIssuer } from "./access-tokens.js";
import type { PasswordHasher } from "./password-hasher.js";
import { isWellFormedRefreshToken, newRefreshToken, refreshTokenHash } from "./refresh-token.js";

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
export type AuthEvent = "register" | "login" | "login_failed" | "refresh" | "refresh_reuse" | "logout";

export interface AuthFlowDeps {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly hasher: PasswordHasher;
  /** See dummyPasswordHash. */
  readonly dummyHash: string;
  readonly accessTokens: AccessTokenIssuer;
  readonly refreshTtlSeconds: number;
  readonly bootstrapAdminEmail?: string;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly onEvent?: (event: AuthEvent) => void;
}

/** One message for every failed sign-in, so that it tells nothing about which part was wrong. */
const WRONG_CREDENTIALS = "wrong email or password";
const INVALID_REFRESH = "invalid, expired or revoked refresh token";

/** Registration, sign-in and the refresh-token lifecycle, over validated input. */
export function createAuthFlows(deps: AuthFlowDeps) {
  const note = (event: AuthEvent) => deps.onEvent?.(event);

  async function issue(user: User, at: Date) {
    const refreshToken = newRefreshToken();
    const refreshTokenExpiresAt = new Date(at.getTime() + deps.refreshTtlSeconds * 1000);
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
    const { tokens, stored } = await issue(user, at);
    await deps.sessions.start(user.id, familyId, stored, at);
    return tokens;
  }

  /** The token's record if it may be used: unknown, malformed and expired tokens are all alike. */
  async function usableToken(refreshToken: string) {
    if (!isWellFormedRefreshToken(refreshToken)) return undefined;
    const record = await deps.sessions.findToken(refreshTokenHash(refreshToken));
    if (!record || record.expiresAt <= deps.now()) return undefined;
    return record;
  }

  return {
    async register(input: { email: string; password: string; displayName: string }): Promise<SignedIn> {
      const at = deps.now();
      const user: User = {
        id: deps.newId(),
        email: input.email,
        displayName: input.displayName,
        role: input.email === deps.bootstrapAdminEmail ? "admin" : "customer",
        passwordHash: await deps.hasher.hash(input.password),
        createdAt: at,
        updatedAt: at,
      };
      await deps.users.create(user);
      note("register");
      return { user, tokens: await startSession(user) };
    },

    /** An unknown email is checked against a dummy hash, so it costs what a wrong password costs. */
    async login(input: { email: string; password: string }): Promise<SignedIn> {
      const user = await deps.users.findByEmail(input.email);
      const matches = await deps.hasher.verify(user?.passwordHash ?? deps.dummyHash, input.password);
      if (!user || !matches) {
        note("login_failed");
        throw unauthenticated(WRONG_CREDENTIALS);
      }
      note("login");
      return { user, tokens: await startSession(user) };
    },

    /** Rotates the token; presenting a spent one revokes its whole family (it may have been stolen). */
    async refresh(refreshToken: string): Promise<IssuedTokens> {
      const record = await usableToken(refreshToken);
      if (!record || (await deps.sessions.isRevoked(record.userId, record.familyId))) {
        throw unauthenticated(INVALID_REFRESH);
      }
      const user = await deps.users.get(record.userId);
      if (!user) throw unauthenticated(INVALID_REFRESH);
      const at = deps.now();
      if (!record.rotated) {
        const { tokens, stored } = await issue(user, at);
        const outcome = await deps.sessions.rotate(record, stored, at);
        if (outcome === "rotated") {
          note("refresh");
          return tokens;
        }
        if (outcome === "revoked") throw unauthenticated(INVALID_REFRESH);
      }
      await deps.sessions.revoke(record.userId, record.familyId, at);
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
