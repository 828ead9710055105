import { randomUUID } from "node:crypto";
import { type RunningService, startService } from "@bourse/common";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MemoryUserEventLog } from "./memory-user-event-log.js";
import { RemoteUserEventLog } from "./remote-user-event-log.js";
import type { UserEvent, UserEventLog } from "./user-event-log.js";
import { userEventLogContract } from "./user-event-log-contract.js";
import { registerEmbeddedUserEvents } from "./user-event-routes.js";

const credential = "remote-user-event-log-test-credential-0123";
const testEnv = { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };
const bytes = (text: string) => new TextEncoder().encode(text);

/** The log the state service serves; each contract run swaps in one with its own retention. */
let served: UserEventLog = new MemoryUserEventLog();
/** Subscriptions the state service holds open on the log. */
let openSubscriptions = 0;
const servedLog: UserEventLog = {
  append: (events) => served.append(events),
  replay: (accountId, after) => served.replay(accountId, after),
  subscribe: (accountId, listener) => {
    const subscription = served.subscribe(accountId, listener);
    openSubscriptions++;
    return {
      ready: subscription.ready,
      close: () => {
        openSubscriptions--;
        subscription.close();
      },
    };
  },
  close: () => served.close(),
};

let service: RunningService;
beforeAll(async () => {
  service = await startService(
    {
      name: "state",
      setup: () => ({
        register: (router) => registerEmbeddedUserEvents(router, { log: servedLog, credential }),
      }),
    },
    { env: testEnv },
  );
});
afterAll(() => service.stop());

const open = () => new RemoteUserEventLog({ url: service.rpcUrl, credential });

userEventLogContract("RemoteUserEventLog", (kept) => {
  served = new MemoryUserEventLog({ eventsPerAccount: kept });
  return { a: open(), b: open() };
});

describe("RemoteUserEventLog", () => {
  it("ends a subscription's server stream when the subscriber closes it", async () => {
    const log = open();
    const account = randomUUID();
    const heard: UserEvent[] = [];
    const subscription = log.subscribe(account, (event) => heard.push(event));
    await subscription.ready;
    expect(openSubscriptions).toBe(1);
    subscription.close();
    await vi.waitFor(() => expect(openSubscriptions).toBe(0));
    await log.append([{ accountId: account, payload: bytes("after close") }]);
    expect(heard).toEqual([]);
    await log.close();
  });

  it("follows the account again once the state service is back after its stream broke", async () => {
    const log = new MemoryUserEventLog();
    const register = (router: ConnectRouter) => registerEmbeddedUserEvents(router, { log, credential });
    const first = await startService({ name: "state", setup: () => ({ register }) }, { env: testEnv });
    const remoteLog = new RemoteUserEventLog({ url: first.rpcUrl, credential });
    const account = randomUUID();
    const heard: string[] = [];
    const subscription = remoteLog.subscribe(account, (event) =>
      heard.push(new TextDecoder().decode(event.payload)),
    );
    await subscription.ready;
    await first.stop();

    const again = await startService(
      { name: "state", setup: () => ({ register }) },
      { env: { ...testEnv, RPC_PORT: String(first.rpcPort) } },
    );
    try {
      await vi.waitFor(
        async () => {
          await log.append([{ accountId: account, payload: bytes("after the restart") }]);
          expect(heard).toContain("after the restart");
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      subscription.close();
      await remoteLog.close();
      await again.stop();
    }
  });

  it("refuses a caller without the service credential", async () => {
    const outsider = new RemoteUserEventLog({ url: service.rpcUrl, credential: "y".repeat(32) });
    const account = randomUUID();
    const refusal = await outsider.append([{ accountId: account, payload: bytes("forged") }]).catch((e) => e);
    expect(ConnectError.from(refusal).code).toBe(Code.Unauthenticated);
    expect(await open().replay(account)).toEqual({ retained: false, latest: 0n });
  });
});
