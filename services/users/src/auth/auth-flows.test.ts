import { MemoryStore } from "@bourse/common/storage";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { SessionStore } from "../store/session-store.js";
import { UserStore } from "../store/user-store.js";
import { createAuthFlows } from "./auth-flows.js";
import type { PasswordHasher } from "./password-hasher.js";

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

function flows(hasher: PasswordHasher) {
  const store = new MemoryStore();
  let next = 0;
  return createAuthFlows({
    users: new UserStore(store),
    sessions: new SessionStore(store),
    hasher,
    dummyHash: "hash:dummy-never-a-password",
    accessTokens: { issue: async () => ({ token: "access", expiresAt: new Date() }) },
    refreshTtlSeconds: 3600,
    now: () => new Date(),
    newId: () => `user-${++next}`,
  });
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected a failure");
}

describe("login", () => {
  it("checks a password hash whether or not the email exists, and fails both alike", async () => {
    const hasher = countingHasher();
    const auth = flows(hasher);
    await auth.register({ email: "ann@example.org", password: "right password", displayName: "Ann" });
    const wrongPassword = await failure(auth.login({ email: "ann@example.org", password: "wrong password" }));
    const unknownEmail = await failure(auth.login({ email: "bob@example.org", password: "right password" }));
    expect(hasher.verified).toEqual(["hash:right password", "hash:dummy-never-a-password"]);
    expect(wrongPassword.code).toBe(Code.Unauthenticated);
    expect([unknownEmail.code, unknownEmail.rawMessage]).toEqual([
      wrongPassword.code,
      wrongPassword.rawMessage,
    ]);
  });
});

describe("refresh", () => {
  it("refuses an expired refresh token", async () => {
    let now = new Date("2030-01-01T00:00:00Z");
    const store = new MemoryStore();
    const auth = createAuthFlows({
      users: new UserStore(store),
      sessions: new SessionStore(store),
      hasher: countingHasher(),
      dummyHash: "hash:dummy",
      accessTokens: { issue: async () => ({ token: "access", expiresAt: now }) },
      refreshTtlSeconds: 60,
      now: () => now,
      newId: () => "user-1",
    });
    const { tokens } = await auth.register({
      email: "ann@example.org",
      password: "right password",
      displayName: "A",
    });
    now = new Date(now.getTime() + 61_000);
    expect((await failure(auth.refresh(tokens.refreshToken))).code).toBe(Code.Unauthenticated);
  });
});
