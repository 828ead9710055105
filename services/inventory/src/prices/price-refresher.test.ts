import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "@bourse/common";
import { MemoryCache } from "@bourse/common/cache";
import { MemoryLockService } from "@bourse/common/locks";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CoinGeckoClient } from "../coingecko/coingecko-client.js";
import { type FakeCoinGecko, startFakeCoinGecko } from "../testing/fake-coingecko.js";
import { PriceCache } from "./price-cache.js";
import { createPriceMetrics } from "./price-metrics.js";
import { PriceRefresher } from "./price-refresher.js";

interface LogLine {
  level: number;
  msg: string;
  outcome?: string;
  cause?: string;
}

const INFO = 30;
const INTERVAL_MS = 60_000;
const bitcoin = {
  id: "bitcoin",
  symbol: "btc",
  price: "64250.12",
  change24h: "-2.35",
  lastUpdated: 1_719_705_600,
};

let fake: FakeCoinGecko;
let lines: LogLine[];
let now: number;
let refresher: PriceRefresher;

beforeEach(async () => {
  fake = await startFakeCoinGecko([bitcoin]);
  lines = [];
  now = 1_800_000_000_000;
  const logger = createLogger("inventory", {
    level: "info",
    destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  });
  const clock = () => now;
  refresher = new PriceRefresher({
    source: new CoinGeckoClient({
      baseUrl: fake.url,
      plan: "public",
      timeoutMs: 30_000,
      maxBodyBytes: 1024 * 1024,
      maxAttempts: 2,
      backoffBaseMs: 1,
      backoffMaxMs: 1,
      retryAfterMaxWaitMs: 0,
      budget: { requests: 1_000, windowMs: INTERVAL_MS },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1 },
      logger,
      now: clock,
      sleep: async () => {},
    }),
    cache: new PriceCache(new MemoryCache({ now: clock }), 7 * 86_400_000),
    coingeckoIds: async () => ["bitcoin"],
    intervalMs: INTERVAL_MS,
    revalidateCooldownMs: 0,
    locks: new MemoryLockService({ now: clock }),
    logger,
    metrics: createPriceMetrics(new Registry()),
    now: clock,
  });
});

afterEach(() => fake.close());

/** Scheduled refreshes one interval apart, each with an on-demand revalidation as GetPrices would ask. */
async function refreshes(count: number): Promise<void> {
  for (let cycle = 0; cycle < count; cycle++) {
    now += INTERVAL_MS;
    await refresher.scheduledRefresh();
    refresher.revalidate(["bitcoin"]);
    await refresher.settled();
  }
}

const logged = () => lines.filter((line) => line.level >= INFO).map((line) => line.msg);

describe("PriceRefresher logging while CoinGecko is down", () => {
  it("warns once when CoinGecko stops answering, stays quiet while it is down, and says once when it is back", async () => {
    await refreshes(2);
    expect(logged()).toEqual([]);

    fake.always({ status: 503 });
    await refreshes(10);
    expect(logged()).toEqual(["CoinGecko unreachable, serving cached, snapshot or simulated prices"]);
    expect(lines.find((line) => line.level >= INFO)).toMatchObject({
      outcome: "server_error",
      cause: "coingecko answered 503",
    });

    fake.always(undefined);
    // cockatiel measures the breaker's half-open pause on the wall clock, not on the injected one: without
    // this wait, every call of the next refreshes can fall in the millisecond the breaker last opened.
    await sleep(5);
    await refreshes(5);
    expect(logged()).toEqual([
      "CoinGecko unreachable, serving cached, snapshot or simulated prices",
      "CoinGecko reachable again",
    ]);

    fake.always({ status: 503 });
    await refreshes(3);
    expect(logged()).toHaveLength(3);
  });

  it("names the network cause when CoinGecko cannot be reached at all", async () => {
    await fake.close();
    await refreshes(10);
    const warnings = lines.filter((line) => line.level >= INFO);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      msg: "CoinGecko unreachable, serving cached, snapshot or simulated prices",
      outcome: "network_error",
      cause: expect.stringContaining("ECONNREFUSED"),
    });
  });
});
