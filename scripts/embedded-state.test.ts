import { randomUUID } from "node:crypto";
import { type RunningService, type ServiceContext, startService } from "@bourse/common";
import { embeddedStateClientOf } from "@bourse/common/embedded-state";
import { LockUnavailableError, MemoryLockService } from "@bourse/common/locks";
import { type Item, MemoryStore, StoreLimitError, TransactionCanceledError } from "@bourse/common/storage";
import {
  acquireUserEventLog,
  MemoryUserEventLog,
  type UserEventLogHandle,
} from "@bourse/trading/user-events";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { embeddedStateEnv, embeddedStateService } from "./embedded-state.js";

const credential = "embedded-state-script-test-credential-0123";
const quiet = { RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent", SERVICE_CREDENTIAL: credential };
const bytes = (text: string) => new TextEncoder().encode(text);

/** What a service sees of the shared state from its own process: its context's store and locks, and its log. */
interface ServiceSide {
  readonly context: ServiceContext;
  readonly userEvents: UserEventLogHandle;
  readonly service: RunningService;
}

const running: RunningService[] = [];
let state: RunningService;

/** A service started as npm start starts a child: its own process's runtime, with EMBEDDED_STATE_URL. */
async function startServiceSide(name: string): Promise<ServiceSide> {
  let side: Omit<ServiceSide, "service"> | undefined;
  const service = await startService(
    {
      name,
      setup(context) {
        const userEvents = acquireUserEventLog(
          context.colocated,
          undefined,
          embeddedStateClientOf(name, context.env),
        );
        side = { context, userEvents };
        return { register: () => {}, stop: () => userEvents.release() };
      },
    },
    { env: { ...quiet, BIND_HOST: "127.0.0.1", EMBEDDED_STATE_URL: state.rpcUrl } },
  );
  running.push(service);
  if (side === undefined) throw new Error("the service was not set up");
  return { ...side, service };
}

beforeAll(async () => {
  const ports = {
    store: new MemoryStore(),
    locks: new MemoryLockService(),
    userEvents: new MemoryUserEventLog(),
  };
  state = await startService(embeddedStateService(ports), { env: { ...embeddedStateEnv, ...quiet } });
});
afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await state.stop();
});

describe("embeddedStateService", () => {
  it("shares the store, the locks and the user event log between two services in their own processes", async () => {
    const orders = await startServiceSide("orders");
    const matching = await startServiceSide("matching");

    const key = { PK: `ORDER#${randomUUID()}`, SK: "ORDER" };
    await orders.context.store.put({ ...key, quantity: 2n ** 64n });
    expect(await matching.context.store.get(key)).toEqual({ ...key, quantity: 2n ** 64n });

    const market = `market-${randomUUID()}`;
    const lease = await matching.context.locks.acquire(market, { ttlMs: 10_000 });
    await expect(orders.context.locks.acquire(market, { ttlMs: 10_000 })).rejects.toBeInstanceOf(
      LockUnavailableError,
    );
    await lease.release();
    expect(await orders.context.locks.tryAcquire(market, { ttlMs: 10_000 })).not.toBeNull();

    const account = randomUUID();
    const heard: string[] = [];
    const subscription = orders.userEvents.log.subscribe(account, (event) =>
      heard.push(new TextDecoder().decode(event.payload)),
    );
    await subscription.ready;
    await matching.userEvents.log.append([{ accountId: account, payload: bytes("filled") }]);
    await vi.waitFor(() => expect(heard).toEqual(["filled"]));
    const { latest } = await orders.userEvents.log.replay(account);
    const replay = await orders.userEvents.log.replay(account, latest - 1n);
    expect(replay.retained && replay.events.map((event) => event.sequence)).toEqual([latest]);
    subscription.close();
  });

  it("takes a transaction of 100 items of 400 KB to the store, which judges its size", async () => {
    const side = await startServiceSide("orders");
    const partition = `BIG#${randomUUID()}`;
    const items = Array.from({ length: 100 }, (_, i): { kind: "put"; item: Item } => ({
      kind: "put",
      item: { PK: partition, SK: String(i).padStart(3, "0"), blob: "x".repeat(400 * 1024 - 64) },
    }));
    const refusal = await side.context.store.transactWrite(items).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreLimitError);
    expect((refusal as StoreLimitError).limit).toBe("transactionSize");

    const key = { PK: partition, SK: "only" };
    await side.context.store.put({ ...key, n: 1 });
    const canceled = await side.context.store
      .transactWrite([
        { kind: "put", item: { PK: partition, SK: "new" } },
        { kind: "conditionCheck", key, condition: { kind: "notExists", name: "PK" } },
      ])
      .catch((error: unknown) => error);
    expect(canceled).toBeInstanceOf(TransactionCanceledError);
    expect((canceled as TransactionCanceledError).reasons).toEqual(["None", "ConditionalCheckFailed"]);
  });
});
