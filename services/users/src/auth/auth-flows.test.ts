import { randomUUID } from "node:crypto";
import { MemoryStore, type Store } from "@bourse/common/storage";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { refreshTokenKey, sessionKey } from "../store/keys.js";
import { SessionStore } from "../store/session-store.js";
import { UserStore } from "../store/user-store.js";
import { type AuthEvent, createAuthFlows } from "./auth-flows.js";
import type { PasswordHasher } from "./password-hasher.js";
import { refreshTokenHash } from "./refresh-token.js";

/** A hasher that records which hashes were verified, to show that every login pays for one check. */
function countingHasher(): PasswordHasher & { verified: string[] } {
  const verified: string[] = [];
  return {
    verified,
    hash: async (password) => `hash:${password}`,
    verify: async (hash, password) => {
      verified.push(hash);
      return hash === `hash:${password}`;
    },
  };
}

const HOUR_SECONDS = 3600;

/** The flows on `store` with a clock the test moves; access tokens are numbered so pairs can be told apart. */
function flows(store: Store, hasher: PasswordHasher = countingHasher()) {
  const clock = { now: new Date("2030-01-01T00:00:00Z") };
  const events: AuthEvent[] = [];
  let accessTokens = 0;
  const auth = createAuthFlows({
    users: new UserStore(store),
    sessions: new SessionStore(store),
    hasher,
    dummyHash: "hash:dummy-never-a-password",
    accessTokens: { issue: async () => ({ token: `access-${++accessTokens}`, expiresAt: clock.now }) },
    refreshTtlSeconds: HOUR_SECONDS,
    sessionMaxLifetimeSeconds: 3 * HOUR_SECONDS,
    reuseIntervalSeconds: 10,
    now: () => clock.now,
    newId: () => `user-${randomUUID()}`,
    onEvent: (event) => events.push(event),
  });
  const advance = (seconds: number) => {
    clock.now = new Date(clock.now.getTime() + seconds * 1000);
  };
  // Unique across the suite: tests share a store and may sign up in the same millisecond.
  const signUp = () =>
    auth.register({
      email: `ann-${randomUUID()}@example.org`,
      password: "right password",
      displayName: "A",
    });
  return { auth, events, advance, signUp };
}

describe("login", () => {
  it("checks a password hash whether or not the email exists, and fails both alike", async () => {
    const hasher = countingHasher();
    const { auth } = flows(new MemoryStore(), hasher);
    await auth.register({ email: "ann@example.org", password: "right password", displayName: "Ann" });
    const wrongPassword = await rpcError(
      auth.login({ email: "ann@example.org", password: "wrong password" }),
    );
    const unknownEmail = await rpcError(auth.login({ email: "bob@example.org", password: "right password" }));
    expect(hasher.verified).toEqual(["hash:right password", "hash:dummy-never-a-password"]);
    expect(wrongPassword.code).toBe(Code.Unauthenticated);
    expect([unknownEmail.code, unknownEmail.rawMessage]).toEqual([
      wrongPassword.code,
      wrongPassword.rawMessage,
    ]);
  });
});

describeWithStores("refresh", (store) => {
  it("refuses an expired refresh token", async () => {
    const { auth, advance, signUp } = flows(store());
    const { tokens } = await signUp();
    advance(HOUR_SECONDS + 1);
    expect((await rpcError(auth.refresh(tokens.refreshToken))).code).toBe(Code.Unauthenticated);
  });

  it("answers a repeat within the reuse interval with the same pair, and the session lives on", async () => {
    const { auth, events, advance, signUp } = flows(store());
    const { tokens } = await signUp();
    const [first, second] = await Promise.all([
      auth.refresh(tokens.refreshToken),
      auth.refresh(tokens.refreshToken),
    ]);
    expect(second).toEqual(first);
    advance(9);
    expect(await auth.refresh(tokens.refreshToken)).toEqual(first);
    expect(events.filter((event) => event.startsWith("refresh"))).toEqual([
      "refresh",
      "refresh_repeat",
      "refresh_repeat",
    ]);
    const next = await auth.refresh(first.refreshToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);
  });

  it("revokes the family when a spent token comes back after the reuse interval", async () => {
    const { auth, events, advance, signUp } = flows(store());
    const { tokens } = await signUp();
    const rotated = await auth.refresh(tokens.refreshToken);
    advance(10);
    expect((await rpcError(auth.refresh(tokens.refreshToken))).code).toBe(Code.Unauthenticated);
    expect(events).toContain("refresh_reuse");
    expect((await rpcError(auth.refresh(rotated.refreshToken))).code).toBe(Code.Unauthenticated);
  });

  it("ends a session at its absolute lifetime however often it is refreshed", async () => {
    const { auth, advance, signUp } = flows(store());
    const { tokens } = await signUp();
    const sessionEnd = Date.parse("2030-01-01T03:00:00Z");
    let current = tokens.refreshToken;
    for (let minutes = 50; minutes < 180; minutes += 50) {
      advance(50 * 60);
      const next = await auth.refresh(current);
      expect(next.refreshTokenExpiresAt.getTime()).toBeLessThanOrEqual(sessionEnd);
      current = next.refreshToken;
    }
    advance(30 * 60);
    expect((await rpcError(auth.refresh(current))).code).toBe(Code.Unauthenticated);
  });

  it("writes the time-to-live attribute, in epoch seconds, on the session and each refresh token", async () => {
    const { auth, signUp } = flows(store());
    const { user, tokens } = await signUp();
    const start = Date.parse("2030-01-01T00:00:00Z") / 1000;
    const token = await store().get(refreshTokenKey(refreshTokenHash(tokens.refreshToken)));
    expect(token?.expiresAt).toBe(start + HOUR_SECONDS);
    const familyId = token?.familyId as string;
    expect((await store().get(sessionKey(user.id, familyId)))?.expiresAt).toBe(start + 3 * HOUR_SECONDS);
    const next = await auth.refresh(tokens.refreshToken);
    const nextItem = await store().get(refreshTokenKey(refreshTokenHash(next.refreshToken)));
    expect(nextItem?.expiresAt).toBe(start + HOUR_SECONDS);
    expect(
      JSON.stringify(await store().get(refreshTokenKey(refreshTokenHash(tokens.refreshToken)))),
    ).not.toContain(next.refreshToken);
  });
});
