import { randomUUID } from "node:crypto";
import { SERVICE_CREDENTIAL_HEADER } from "@bourse/common/auth";
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

  it("counts a direct call by its connection's address, whatever x-forwarded-for it writes, TRUSTED_PROXY_HOPS or not", async () => {
    for (const env of [{}, { TRUSTED_PROXY_HOPS: "1" }] as Record<string, string>[]) {
      const direct = await start({ LOGIN_ATTEMPTS_PER_ADDRESS: "2", ...env });
      const forged = (address: string) =>
        rpcError(
          direct.auth.login(
            { email: `${address}@example.com`, password: "x" },
            { headers: { "x-forwarded-for": address } },
          ),
        );
      expect((await forged("203.0.113.1")).code).toBe(Code.Unauthenticated);
      expect((await forged("203.0.113.2")).code).toBe(Code.Unauthenticated);
      expect((await forged("203.0.113.3")).code).toBe(Code.ResourceExhausted);
    }
  });

  it("counts a call presenting the service credential (the gateway's) by the address x-forwarded-for names past the trusted hops", async () => {
    const behindGateway = await start({ LOGIN_ATTEMPTS_PER_ADDRESS: "2" });
    const viaGateway = (forwardedFor: string) => ({
      headers: {
        "x-forwarded-for": forwardedFor,
        [SERVICE_CREDENTIAL_HEADER]: behindGateway.serviceCredential,
      },
    });
    const login = (email: string, forwardedFor: string) =>
      rpcError(behindGateway.auth.login({ email, password: "x" }, viaGateway(forwardedFor)));
    // The client wrote 198.51.100.7 itself; the gateway appended the address it saw, 203.0.113.1.
    expect((await login("a@example.com", "198.51.100.7, 203.0.113.1")).code).toBe(Code.Unauthenticated);
    expect((await login("b@example.com", "198.51.100.8, 203.0.113.1")).code).toBe(Code.Unauthenticated);
    expect((await login("c@example.com", "203.0.113.1")).code).toBe(Code.ResourceExhausted);
    expect((await login("c@example.com", "198.51.100.7, 203.0.113.2")).code).toBe(Code.Unauthenticated);

    // An ingress in front of the gateway appended the client's address; the gateway, the ingress's.
    const behindIngress = await start({ LOGIN_ATTEMPTS_PER_ADDRESS: "2", TRUSTED_PROXY_HOPS: "1" });
    const viaIngress = (forwardedFor: string) =>
      rpcError(
        behindIngress.auth.login(
          { email: `${randomUUID()}@example.com`, password: "x" },
          {
            headers: {
              "x-forwarded-for": forwardedFor,
              [SERVICE_CREDENTIAL_HEADER]: behindIngress.serviceCredential,
            },
          },
        ),
      );
    expect((await viaIngress("198.51.100.7, 203.0.113.1, 10.0.0.2")).code).toBe(Code.Unauthenticated);
    expect((await viaIngress("203.0.113.1, 10.0.0.2")).code).toBe(Code.Unauthenticated);
    expect((await viaIngress("203.0.113.1, 10.0.0.2")).code).toBe(Code.ResourceExhausted);
    expect((await viaIngress("203.0.113.2, 10.0.0.2")).code).toBe(Code.Unauthenticated);
  });

  it("does not trust x-forwarded-for on a call presenting a wrong credential", async () => {
    const h = await start({ LOGIN_ATTEMPTS_PER_ADDRESS: "2" });
    const forged = (address: string) =>
      rpcError(
        h.auth.login(
          { email: `${address}@example.com`, password: "x" },
          { headers: { "x-forwarded-for": address, [SERVICE_CREDENTIAL_HEADER]: `${h.serviceCredential}x` } },
        ),
      );
    expect((await forged("203.0.113.1")).code).toBe(Code.Unauthenticated);
    expect((await forged("203.0.113.2")).code).toBe(Code.Unauthenticated);
    expect((await forged("203.0.113.3")).code).toBe(Code.ResourceExhausted);
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
