import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { LockHarness } from "../testing/lock-harness.js";
import { LockLostError, LockUnavailableError } from "./errors.js";
import type { Lease, LockService } from "./lock-service.js";

/** Long enough never to lapse during a test, for leases that must not expire. */
const LONG_TTL_MS = 10_000;
/** Short leases that tests let expire; Redis really waits for them. */
const SHORT_TTL_MS = 200;
const EXPIRY_MARGIN_MS = 50;
const PATIENT = { count: 2_000, delayMs: 2, jitterMs: 2 };

/**
 * The lock port's contract: every adapter (in-process, Redis, the embedded state service's) must pass it.
 * `makeHarness` is called before each test; its `open()` gives one contender's lock service.
 */
export function lockServiceContract(makeHarness: () => LockHarness): void {
  let harness: LockHarness;
  let resource: string;

  beforeEach(() => {
    harness = makeHarness();
    resource = `market-${randomUUID()}`;
  });
  afterEach(() => harness.close());

  it("refuses a busy lock: acquire without retries fails, tryAcquire returns null", async () => {
    const [first, second] = [harness.open(), harness.open()];
    const lease = await first.acquire(resource, { ttlMs: LONG_TTL_MS });
    expect(lease.resource).toBe(resource);
    expect(lease.fencingToken).toBeGreaterThan(0n);

    const refusal = await second.acquire(resource, { ttlMs: LONG_TTL_MS }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LockUnavailableError);
    expect((refusal as LockUnavailableError).resource).toBe(resource);
    expect(await second.tryAcquire(resource, { ttlMs: LONG_TTL_MS })).toBeNull();
  });

  it("never lets two contenders hold the lock at once", async () => {
    const contenders = 4;
    const rounds = 8;
    let holder: number | null = null;
    let overlaps = 0;
    const tokensInGrantOrder: bigint[] = [];

    async function contend(id: number, service: LockService): Promise<void> {
      for (let round = 0; round < rounds; round++) {
        const lease = await service.acquire(resource, { ttlMs: LONG_TTL_MS, retry: PATIENT });
        if (holder !== null) overlaps++;
        holder = id;
        tokensInGrantOrder.push(lease.fencingToken);
        await sleep(1);
        if (holder !== id) overlaps++;
        holder = null;
        await lease.release();
      }
    }

    await Promise.all(Array.from({ length: contenders }, (_, id) => contend(id, harness.open())));
    expect(overlaps).toBe(0);
    expect(tokensInGrantOrder).toHaveLength(contenders * rounds);
    expect(tokensInGrantOrder).toEqual([...tokensInGrantOrder].sort(compareTokens));
    expect(new Set(tokensInGrantOrder).size).toBe(contenders * rounds);
  });

  it("hands the lock to a waiting contender once the holder releases it", async () => {
    const [first, second] = [harness.open(), harness.open()];
    const lease = await first.acquire(resource, { ttlMs: LONG_TTL_MS });
    let granted = false;
    const waiting = second.acquire(resource, { ttlMs: LONG_TTL_MS, retry: PATIENT }).then((next) => {
      granted = true;
      return next;
    });
    await sleep(20);
    expect(granted).toBe(false);

    await lease.release();
    const next = await waiting;
    expect(next.fencingToken).toBeGreaterThan(lease.fencingToken);
  });

  it("fences off a holder whose lease expired once a new holder takes over", async () => {
    const [stale, fresh, third] = [harness.open(), harness.open(), harness.open()];
    const old = await stale.acquire(resource, { ttlMs: SHORT_TTL_MS });
    await harness.pass(SHORT_TTL_MS + EXPIRY_MARGIN_MS);
    const current = await fresh.acquire(resource, { ttlMs: LONG_TTL_MS });
    expect(current.fencingToken).toBeGreaterThan(old.fencingToken);

    await expect(old.extend(LONG_TTL_MS)).rejects.toBeInstanceOf(LockLostError);
    await old.release();
    expect(await third.tryAcquire(resource, { ttlMs: LONG_TTL_MS })).toBeNull();

    expect(await third.isCurrentToken(resource, old.fencingToken)).toBe(false);
    await expect(stale.assertCurrent(old)).rejects.toBeInstanceOf(LockLostError);
    expect(await third.isCurrentToken(resource, current.fencingToken)).toBe(true);
    await expect(fresh.assertCurrent(current)).resolves.toBeUndefined();
  });

  it("refuses to extend an expired lease even when nobody else took the lock", async () => {
    const service = harness.open();
    const lease = await service.acquire(resource, { ttlMs: SHORT_TTL_MS });
    await harness.pass(SHORT_TTL_MS + EXPIRY_MARGIN_MS);
    await expect(lease.extend(LONG_TTL_MS)).rejects.toBeInstanceOf(LockLostError);
    expect(await service.isCurrentToken(resource, lease.fencingToken)).toBe(false);
  });

  it("keeps an extended lease past its original expiry", async () => {
    const [holder, other] = [harness.open(), harness.open()];
    const lease = await holder.acquire(resource, { ttlMs: SHORT_TTL_MS * 2 });
    const firstExpiry = lease.expiresAt;
    await harness.pass(SHORT_TTL_MS);
    await lease.extend(LONG_TTL_MS);
    expect(lease.expiresAt).toBeGreaterThan(firstExpiry);
    await harness.pass(SHORT_TTL_MS + EXPIRY_MARGIN_MS);

    expect(await other.tryAcquire(resource, { ttlMs: LONG_TTL_MS })).toBeNull();
    await expect(holder.assertCurrent(lease)).resolves.toBeUndefined();
  });

  it("releases idempotently, after which the old lease is lost", async () => {
    const [holder, other] = [harness.open(), harness.open()];
    const lease = await holder.acquire(resource, { ttlMs: LONG_TTL_MS });
    await lease.release();
    await lease.release();
    expect(await holder.isCurrentToken(resource, lease.fencingToken)).toBe(false);
    await expect(lease.extend(LONG_TTL_MS)).rejects.toBeInstanceOf(LockLostError);

    const next = await other.tryAcquire(resource, { ttlMs: LONG_TTL_MS });
    expect(next?.fencingToken).toBeGreaterThan(lease.fencingToken);
  });

  it("issues strictly increasing fencing tokens across successive holders", async () => {
    const services = [harness.open(), harness.open()];
    const tokens: bigint[] = [];
    for (let i = 0; i < 25; i++) {
      const service = services[i % services.length] as LockService;
      const lease: Lease = await service.acquire(resource, { ttlMs: LONG_TTL_MS });
      tokens.push(lease.fencingToken);
      await lease.release();
    }
    for (let i = 1; i < tokens.length; i++) {
      expect(tokens[i]).toBeGreaterThan(tokens[i - 1] as bigint);
    }
  });

  it("issues at least minToken, and continues above it", async () => {
    const service = harness.open();
    const seeded = await service.acquire(resource, { ttlMs: LONG_TTL_MS, minToken: 2n ** 53n + 1n });
    expect(seeded.fencingToken).toBe(2n ** 53n + 1n);
    expect(await service.isCurrentToken(resource, seeded.fencingToken)).toBe(true);
    await seeded.release();
    const next = await service.acquire(resource, { ttlMs: LONG_TTL_MS, minToken: 5n });
    expect(next.fencingToken).toBe(2n ** 53n + 2n);
    await next.release();
    await expect(service.acquire(resource, { ttlMs: LONG_TTL_MS, minToken: 0n })).rejects.toBeInstanceOf(
      RangeError,
    );
    await expect(
      service.acquire(resource, { ttlMs: LONG_TTL_MS, minToken: 2n ** 63n }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it("keeps locks on different resources independent", async () => {
    const service = harness.open();
    const first = await service.acquire(resource, { ttlMs: LONG_TTL_MS });
    const second = await service.acquire(`${resource}-other`, { ttlMs: LONG_TTL_MS });
    expect(await service.isCurrentToken(resource, first.fencingToken)).toBe(true);
    expect(await service.isCurrentToken(`${resource}-other`, second.fencingToken)).toBe(true);
  });

  it("rejects a ttl that is not a positive whole number of milliseconds", async () => {
    const service = harness.open();
    await expect(service.acquire(resource, { ttlMs: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(service.tryAcquire(resource, { ttlMs: 1.5 })).rejects.toBeInstanceOf(RangeError);
  });
}

function compareTokens(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
