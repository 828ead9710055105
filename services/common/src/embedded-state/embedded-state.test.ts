import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LockLostError } from "../locks/errors.js";
import type { LockService } from "../locks/lock-service.js";
import { lockServiceContract } from "../locks/lock-service-contract.js";
import { MemoryLockService } from "../locks/memory-lock-service.js";
import { type RunningService, startService } from "../server/start-service.js";
import { ConditionFailedError } from "../storage/errors.js";
import { MemoryStore } from "../storage/memory/memory-store.js";
import { describeStoreContract } from "../storage/store-contract.js";
import type { LockHarness } from "../testing/lock-harness.js";
import { registerEmbeddedState } from "./register-embedded-state.js";
import { RemoteLockService } from "./remote-lock-service.js";
import { RemoteStore } from "./remote-store.js";

const credential = "embedded-state-test-credential-0123456789";
const testEnv = {
  BIND_HOST: "127.0.0.1",
  RPC_PORT: "0",
  ADMIN_PORT: "0",
  LOG_LEVEL: "silent",
  // The store contract's largest transactions (100 items near 400 KB each).
  MAX_MESSAGE_BYTES: String(64 * 1024 * 1024),
  MAX_RESPONSE_BYTES: String(64 * 1024 * 1024),
};

/** The locks the state service serves, on a clock only `pass` moves; `lose` swaps in an empty lock table. */
let now = 1_700_000_000_000;
let locks = new MemoryLockService({ now: () => now });
const servedLocks: LockService = {
  acquire: (resource, options) => locks.acquire(resource, options),
  tryAcquire: (resource, options) => locks.tryAcquire(resource, options),
  isCurrentToken: (resource, token) => locks.isCurrentToken(resource, token),
  assertCurrent: (lease) => locks.assertCurrent(lease),
  close: () => locks.close(),
};

let service: RunningService;
beforeAll(async () => {
  service = await startService(
    {
      name: "state",
      setup: () => ({
        register: (router) =>
          registerEmbeddedState(router, { store: new MemoryStore(), locks: servedLocks, credential }),
      }),
    },
    { env: testEnv },
  );
});
afterAll(() => service.stop());

const remote = () => ({ url: service.rpcUrl, credential });

describe("RemoteStore", () => {
  let store: RemoteStore;
  beforeAll(() => {
    store = new RemoteStore(remote());
  });
  afterAll(() => store.close());
  describeStoreContract("on the embedded state service", () => store);

  it("shares one table between two clients, as two services in their own processes do", async () => {
    const [orders, matching] = [new RemoteStore(remote()), new RemoteStore(remote())];
    const key = { PK: `SHARED#${crypto.randomUUID()}`, SK: "A" };
    await orders.put({ ...key, amount: 2n ** 70n, bytes: new Uint8Array([1, 2, 3]) });
    expect(await matching.get(key)).toEqual({ ...key, amount: 2n ** 70n, bytes: new Uint8Array([1, 2, 3]) });
    const refusal = await matching.put(key, { condition: { kind: "notExists", name: "PK" } }).catch((e) => e);
    expect(refusal).toBeInstanceOf(ConditionFailedError);
  });

  it("refuses a caller without the service credential, and one with another", async () => {
    const key = { PK: `SECRET#${crypto.randomUUID()}`, SK: "A" };
    for (const wrong of ["x".repeat(32), "embedded-state-test-credential-012345678X"]) {
      const outsider = new RemoteStore({ url: service.rpcUrl, credential: wrong });
      const refusal = await outsider.put(key).catch((error: unknown) => error);
      expect(ConnectError.from(refusal).code).toBe(Code.Unauthenticated);
    }
    expect(await new RemoteStore(remote()).get(key)).toBeUndefined();
  });
});

function remoteLockHarness(): LockHarness {
  const opened: RemoteLockService[] = [];
  return {
    open: () => {
      const service = new RemoteLockService(remote());
      opened.push(service);
      return service;
    },
    lose: async () => {
      locks = new MemoryLockService({ now: () => now });
    },
    pass: async (ms) => {
      now += ms;
    },
    close: async () => {
      await Promise.all(opened.map((service) => service.close()));
    },
  };
}

describe("RemoteLockService", () => {
  lockServiceContract(remoteLockHarness);

  it("keeps every live lease however many it holds, and forgets those lost", async () => {
    const service = new RemoteLockService(remote());
    const prefix = `many-${crypto.randomUUID()}`;
    const short = await Promise.all(
      Array.from({ length: 100 }, (_, i) => service.acquire(`${prefix}-short-${i}`, { ttlMs: 100 })),
    );
    now += 200;
    const live = await Promise.all(
      Array.from({ length: 200 }, (_, i) => service.acquire(`${prefix}-live-${i}`, { ttlMs: 10_000 })),
    );
    for (const lease of live) await expect(service.assertCurrent(lease)).resolves.toBeUndefined();
    for (const lease of short) await expect(lease.extend(10_000)).rejects.toBeInstanceOf(LockLostError);
    await Promise.all(live.map((lease) => lease.release()));
  });
});
