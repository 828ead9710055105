import { MemoryStore } from "@bourse/common/storage";
import { rpcError } from "@bourse/common/testing";
import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createArgon2Hasher, type PasswordHasher } from "../auth/password-hasher.js";
import { startUsers, type UsersHarness } from "../testing/users-harness.js";

const running: UsersHarness[] = [];
async function start(env: Record<string, string>, hasher?: PasswordHasher) {
  const harness = await startUsers(new MemoryStore(), { env, users: { hasher } });
  running.push(harness);
  return harness;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((harness) => harness.stop()));
});

describe("sign-in limits", () => {
  it("refuses an account's sign-ins past its budget with resource_exhausted and retry-after; other accounts sign in", async () => {
    const h = await start({ LOGIN_ATTEMPTS_PER_ACCOUNT: "3" });
    const [alice, bob] = [await h.signUp(), await h.signUp()];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await rpcError(h.auth.login({ email: alice.email, password: "not it" }));
      expect(wrong.code).toBe(Code.Unauthenticated);
    }
    const refused = await rpcError(h.auth.login({ email: alice.email, password: alice.password }));
    expect(refused.code).toBe(Code.ResourceExhausted);
    expect(Number(refused.metadata.get("retry-after"))).toBeGreaterThan(0);
    await expect(h.auth.login({ email: bob.email, password: bob.password })).resolves.toBeDefined();
    const metrics = await (await fetch(`${h.users.adminUrl}/metrics`)).text();
    expect(metrics).toContain('users_sign_ins_refused_total{reason="account"} 1');
  });

  it("counts the connection's address, and x-forwarded-for only behind TRUSTED_PROXY_HOPS", async () => {
    const direct = await start({ LOGIN_ATTEMPTS_PER_ADDRESS: "2" });
    for (const forwardedFor of ["203.0.113.1", "203.0.113.2"]) {
      await rpcError(
        direct.auth.login(
          { email: `${forwardedFor}@example.com`, password: "x" },
          { headers: { "x-forwarded-for": forwardedFor } },
        ),
      );
    }
    const spoofed = direct.auth.login(
      { email: "new@example.com", password: "x" },
      { headers: { "x-forwarded-for": "203.0.113.3" } },
    );
    expect((await rpcError(spoofed)).code).toBe(Code.ResourceExhausted);

    const proxied = await start({ LOGIN_ATTEMPTS_PER_ADDRESS: "2", TRUSTED_PROXY_HOPS: "1" });
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    await rpcError(proxied.auth.login({ email: "a@example.com", password: "x" }, from("203.0.113.1")));
    await rpcError(proxied.auth.login({ email: "b@example.com", password: "x" }, from("203.0.113.1")));
    const over = await rpcError(
      proxied.auth.login({ email: "c@example.com", password: "x" }, from("203.0.113.1")),
    );
    expect(over.code).toBe(Code.ResourceExhausted);
    const other = await rpcError(
      proxied.auth.login({ email: "c@example.com", password: "x" }, from("203.0.113.2")),
    );
    expect(other.code).toBe(Code.Unauthenticated);
  });

  it("refuses a sign-in with resource_exhausted while password hashing and its queue are full", async () => {
    const argon2 = createArgon2Hasher();
    const gates: Array<() => void> = [];
    let gated = false;
    const hasher: PasswordHasher = {
      hash: (password) => argon2.hash(password),
      async verify(passwordHash, password) {
        if (gated) await new Promise<void>((resolve) => gates.push(resolve));
        return argon2.verify(passwordHash, password);
      },
    };
    const h = await start({ PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE: "1" }, hasher);
    const user = await h.signUp();
    gated = true;
    const hashing = h.auth.login({ email: user.email, password: user.password });
    await vi.waitFor(() => expect(gates).toHaveLength(1), { timeout: 10_000 });
    const queued = h.auth.login({ email: user.email, password: user.password });
    const refused = await rpcError(h.auth.login({ email: user.email, password: user.password }));
    expect(refused.code).toBe(Code.ResourceExhausted);
    expect(refused.metadata.get("retry-after")).toBe("1");
    gated = false;
    for (const release of gates.splice(0)) release();
    await expect(hashing).resolves.toBeDefined();
    await expect(queued).resolves.toBeDefined();
  });

  it("starts and throttles in-process while REDIS_URL points at a Redis that is down", async () => {
    const h = await start({ REDIS_URL: "redis://127.0.0.1:1", LOGIN_ATTEMPTS_PER_ACCOUNT: "1" });
    const user = await h.signUp();
    await expect(h.auth.login({ email: user.email, password: user.password })).resolves.toBeDefined();
    expect((await rpcError(h.auth.login({ email: user.email, password: "not it" }))).code).toBe(
      Code.Unauthenticated,
    );
    const refused = await rpcError(h.auth.login({ email: user.email, password: user.password }));
    expect(refused.code).toBe(Code.ResourceExhausted);
  });
});
