import type { Logger } from "@bourse/common";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type FakeCoinGecko, startFakeCoinGecko } from "../testing/fake-coingecko.js";
import { CoinGeckoClient, type CoinGeckoClientOptions } from "./coingecko-client.js";
import { CoinGeckoError, type CoinGeckoOutcome } from "./coingecko-error.js";

const coins = [
  { id: "bitcoin", symbol: "btc", price: "64250.12", change24h: "-2.35", lastUpdated: 1_719_705_600 },
  { id: "shiba-inu", symbol: "shib", price: "1.162e-05", change24h: "1.31", lastUpdated: 1_719_705_660 },
  { id: "delisted", symbol: "old", price: "null", change24h: "null", lastUpdated: 1_719_705_600 },
];

let fake: FakeCoinGecko;
let now: number;
let delays: number[];
let outcomes: CoinGeckoOutcome[];
let warnings: unknown[][];

beforeEach(async () => {
  fake = await startFakeCoinGecko(coins);
  now = 1_800_000_000_000;
  delays = [];
  outcomes = [];
  warnings = [];
});

afterEach(() => fake.close());

function client(overrides: Partial<CoinGeckoClientOptions> = {}): CoinGeckoClient {
  const logger = {
    warn: (...args: unknown[]) => warnings.push(args),
    info: () => {},
    debug: () => {},
  } as unknown as Logger;
  return new CoinGeckoClient({
    baseUrl: fake.url,
    plan: "public",
    timeoutMs: 2_000,
    maxBodyBytes: 5 * 1024 * 1024,
    maxAttempts: 3,
    backoffBaseMs: 100,
    backoffMaxMs: 1_000,
    retryAfterMaxWaitMs: 5_000,
    budget: { requests: 100, windowMs: 60_000 },
    breaker: { consecutiveFailures: 100, halfOpenAfterMs: 20 },
    logger,
    onOutcome: (_endpoint, outcome) => outcomes.push(outcome),
    now: () => now,
    sleep: async (ms) => {
      delays.push(ms);
      now += ms;
    },
    ...overrides,
  });
}

async function failure(call: Promise<unknown>): Promise<CoinGeckoError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof CoinGeckoError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("CoinGeckoClient responses", () => {
  it("reads /coins/markets exactly, with no float in between, and skips coins without a price", async () => {
    const quotes = await client().coinsMarkets(["bitcoin", "shiba-inu", "delisted"]);
    expect(quotes).toEqual([
      { coingeckoId: "bitcoin", price: "64250.12", change24hPercent: "-2.35", observedAt: 1_719_705_600_000 },
      {
        coingeckoId: "shiba-inu",
        price: "0.00001162",
        change24hPercent: "1.31",
        observedAt: 1_719_705_660_000,
      },
    ]);
    const [request] = fake.requests;
    expect(request?.path).toBe("/coins/markets");
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      vs_currency: "usd",
      ids: "bitcoin,shiba-inu,delisted",
      per_page: "250",
      page: "1",
      precision: "full",
    });
    expect(outcomes).toEqual(["ok"]);
  });

  it("reads /simple/price exactly", async () => {
    const quotes = await client().simplePrice(["shiba-inu", "bitcoin"]);
    expect(quotes).toEqual([
      {
        coingeckoId: "shiba-inu",
        price: "0.00001162",
        change24hPercent: "1.31",
        observedAt: 1_719_705_660_000,
      },
      { coingeckoId: "bitcoin", price: "64250.12", change24hPercent: "-2.35", observedAt: 1_719_705_600_000 },
    ]);
    expect(fake.requests[0]?.query.get("include_24hr_change")).toBe("true");
  });

  it("sends the API key in the header of its plan, and none on the public plan", async () => {
    await client({ plan: "demo", apiKey: "demo-key" }).simplePrice(["bitcoin"]);
    await client({ plan: "pro", apiKey: "pro-key" }).simplePrice(["bitcoin"]);
    await client({ plan: "public" }).simplePrice(["bitcoin"]);
    const [demo, pro, publicPlan] = fake.requests.map((request) => request.headers);
    expect(demo?.["x-cg-demo-api-key"]).toBe("demo-key");
    expect(demo?.["x-cg-pro-api-key"]).toBeUndefined();
    expect(pro?.["x-cg-pro-api-key"]).toBe("pro-key");
    expect(publicPlan?.["x-cg-demo-api-key"]).toBeUndefined();
    expect(publicPlan?.["x-cg-pro-api-key"]).toBeUndefined();
  });

  it.each([
    ["malformed JSON", '[{"id":"bitcoin","current_price":64250.1'],
    ["a wrong shape", '{"unexpected":"object"}'],
    ["a price that is not a number", '[{"id":"bitcoin","current_price":"lots"}]'],
    ["a bad timestamp", '[{"id":"bitcoin","current_price":1,"last_updated":"yesterday"}]'],
  ])("rejects %s with a logged reason, without retrying", async (_name, body) => {
    fake.script({ status: 200, body });
    const error = await failure(client().coinsMarkets(["bitcoin"]));
    expect(error.outcome).toBe("malformed");
    expect(fake.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[1]).toBe("coingecko response rejected");
    expect(warnings[0]?.[0]).toMatchObject({
      endpoint: "/coins/markets",
      reason: expect.stringMatching(/./),
    });
    expect(outcomes).toEqual(["malformed"]);
  });
});

describe("CoinGeckoClient redirects and body size", () => {
  it.each([301, 302, 307, 308])(
    "never follows a %i, so the API key never reaches another origin, and does not retry it",
    async (status) => {
      const elsewhere = await startFakeCoinGecko(coins);
      try {
        fake.script({
          status,
          headers: { location: `${elsewhere.url}/simple/price?ids=bitcoin&vs_currencies=usd` },
        });
        const error = await failure(client({ plan: "demo", apiKey: "demo-key" }).simplePrice(["bitcoin"]));
        expect(error.outcome).toBe("redirected");
        expect(elsewhere.requests).toHaveLength(0);
        expect(fake.requests).toHaveLength(1);
        expect(outcomes).toEqual(["redirected"]);
      } finally {
        await elsewhere.close();
      }
    },
  );

  it("counts redirects toward the circuit breaker like any bad answer", async () => {
    const gecko = client({ maxAttempts: 1, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } });
    fake.always({ status: 302, headers: { location: "https://elsewhere.invalid/" } });
    for (let call = 0; call < 2; call++) {
      expect((await failure(gecko.simplePrice(["bitcoin"]))).outcome).toBe("redirected");
    }
    expect(gecko.circuitOpen).toBe(true);
  });

  it("stops reading a streamed body once it passes the cap, long before its end", async () => {
    const total = 256 * 1024 * 1024;
    fake.script({ streamBytes: total });
    const error = await failure(client({ maxBodyBytes: 64 * 1024 }).coinsMarkets(["bitcoin"]));
    expect(error.outcome).toBe("too_large");
    expect(fake.requests).toHaveLength(1);
    expect(outcomes).toEqual(["too_large"]);
    expect(fake.streamedBytes()).toBeLessThan(total / 8);
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    const total = 256 * 1024 * 1024;
    fake.script({ streamBytes: total, headers: { "content-length": String(total) } });
    const error = await failure(client({ maxBodyBytes: 64 * 1024 }).coinsMarkets(["bitcoin"]));
    expect(error.outcome).toBe("too_large");
    expect(fake.streamedBytes()).toBeLessThan(total / 8);
  });

  it("reads a body of exactly the cap", async () => {
    const body = '{"bitcoin":{"usd":64250.12,"usd_24h_change":-2.35,"last_updated_at":1719705600}}';
    fake.script({ status: 200, body });
    const quotes = await client({ maxBodyBytes: Buffer.byteLength(body) }).simplePrice(["bitcoin"]);
    expect(quotes).toHaveLength(1);
  });
});

describe("CoinGeckoClient retries", () => {
  it("honours Retry-After on 429, then succeeds", async () => {
    fake.script({ status: 429, headers: { "retry-after": "2" } });
    const quotes = await client().simplePrice(["bitcoin"]);
    expect(quotes).toHaveLength(1);
    expect(delays).toEqual([2_000]);
    expect(fake.requests).toHaveLength(2);
    expect(outcomes).toEqual(["rate_limited", "ok"]);
  });

  it("reads Retry-After as an HTTP date too", async () => {
    fake.script({ status: 429, headers: { "retry-after": new Date(now + 3_000).toUTCString() } });
    await client().simplePrice(["bitcoin"]);
    expect(delays).toEqual([3_000]);
  });

  it("fails at once on a Retry-After longer than it may wait, and sends nothing until it has passed", async () => {
    const gecko = client();
    fake.script({ status: 429, headers: { "retry-after": "60" } });
    const error = await failure(gecko.simplePrice(["bitcoin"]));
    expect(error.outcome).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(60_000);
    expect(delays).toEqual([]);

    now += 59_000;
    expect((await failure(gecko.simplePrice(["bitcoin"]))).outcome).toBe("backing_off");
    expect(fake.requests).toHaveLength(1);
    now += 1_000;
    expect(await gecko.simplePrice(["bitcoin"])).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it("backs off exponentially with jitter on 5xx, then gives up", async () => {
    fake.always({ status: 503 });
    const error = await failure(client({ maxAttempts: 4, random: () => 0.5 }).simplePrice(["bitcoin"]));
    expect(error.outcome).toBe("server_error");
    expect(fake.requests).toHaveLength(4);
    // Equal jitter: half the ceiling plus random x half, ceilings 100, 200, 400.
    expect(delays).toEqual([75, 150, 300]);
    expect(outcomes).toEqual(["server_error", "server_error", "server_error", "server_error"]);
  });

  it("keeps jittered delays within their exponential bounds, capped at the maximum", async () => {
    fake.always({ status: 500 });
    await failure(client({ maxAttempts: 6, backoffMaxMs: 500 }).simplePrice(["bitcoin"]));
    const ceilings = [100, 200, 400, 500, 500];
    expect(delays).toHaveLength(ceilings.length);
    delays.forEach((delay, index) => {
      const ceiling = ceilings[index] ?? 0;
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
  });

  it("times out a request that gets no answer, and retries it", async () => {
    fake.script({ hang: true });
    const quotes = await client({ timeoutMs: 50 }).simplePrice(["bitcoin"]);
    expect(quotes).toHaveLength(1);
    expect(outcomes).toEqual(["timeout", "ok"]);
  });

  it("reports a timeout once every attempt has timed out", async () => {
    fake.always({ hang: true });
    const error = await failure(client({ timeoutMs: 30, maxAttempts: 2 }).simplePrice(["bitcoin"]));
    expect(error.outcome).toBe("timeout");
    expect(fake.requests).toHaveLength(2);
  });

  it("reports an unreachable server as a network error", async () => {
    await fake.close();
    const error = await failure(client({ maxAttempts: 1 }).simplePrice(["bitcoin"]));
    expect(error.outcome).toBe("network_error");
  });
});

describe("CoinGeckoClient budget and breaker", () => {
  it("sends no more requests than its budget allows in a window", async () => {
    const gecko = client({ budget: { requests: 3, windowMs: 60_000 } });
    for (let call = 0; call < 3; call++) await gecko.simplePrice(["bitcoin"]);
    const error = await failure(gecko.simplePrice(["bitcoin"]));
    expect(error.outcome).toBe("budget_exhausted");
    expect(fake.requests).toHaveLength(3);

    now += 30_000;
    expect((await failure(gecko.simplePrice(["bitcoin"]))).outcome).toBe("budget_exhausted");
    now += 30_000;
    await gecko.simplePrice(["bitcoin"]);
    expect(fake.requests).toHaveLength(4);
  });

  it("counts retries against the budget", async () => {
    fake.always({ status: 500 });
    const error = await failure(
      client({ budget: { requests: 2, windowMs: 60_000 } }).simplePrice(["bitcoin"]),
    );
    expect(error.outcome).toBe("budget_exhausted");
    expect(fake.requests).toHaveLength(2);
  });

  it("opens its breaker after consecutive failures, refuses calls without a request, and closes once CoinGecko answers", async () => {
    const gecko = client({ maxAttempts: 1, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 20 } });
    fake.always({ status: 500 });
    for (let call = 0; call < 3; call++) {
      expect((await failure(gecko.simplePrice(["bitcoin"]))).outcome).toBe("server_error");
    }
    expect(gecko.circuitOpen).toBe(true);
    expect((await failure(gecko.simplePrice(["bitcoin"]))).outcome).toBe("circuit_open");
    expect(fake.requests).toHaveLength(3);

    fake.always(undefined);
    await vi.waitFor(() => gecko.simplePrice(["bitcoin"]), { timeout: 5_000, interval: 10 });
    expect(gecko.circuitOpen).toBe(false);
    expect(fake.requests).toHaveLength(4);
  });

  it("does not count rate limiting toward the breaker", async () => {
    const gecko = client({ maxAttempts: 1, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } });
    fake.always({ status: 429 });
    for (let call = 0; call < 3; call++) {
      expect((await failure(gecko.simplePrice(["bitcoin"]))).outcome).toBe("rate_limited");
    }
    expect(gecko.circuitOpen).toBe(false);
  });
});
