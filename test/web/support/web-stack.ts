import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import type { Market } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { type RunningExchange, startExchange } from "../../blackbox/exchange-process.js";
import { eventually } from "../../order-flow/support/eventually.js";

const repositoryRoot = new URL("../../..", import.meta.url).pathname;

/** Every port `npm start` opens, at 0: each picks a free one, so the tests run beside a developer's exchange. */
const everyPortZero = Object.fromEntries([
  ...["USERS", "INVENTORY", "ORDERS", "MATCHING", "MARKETMAKER"].flatMap((service) => [
    [`${service}_RPC_PORT`, "0"],
    [`${service}_ADMIN_PORT`, "0"],
  ]),
  ["GATEWAY_HTTP_PORT", "0"],
  ["GATEWAY_GRPC_PORT", "0"],
  ["GATEWAY_ADMIN_PORT", "0"],
]);

/** The best price on each side of a market's book. */
export interface BestPrices {
  readonly bid: string;
  readonly ask: string;
}

/** `npm start` in its default mode, serving the built web app, with the market maker quoting. */
export interface WebStack {
  /** The gateway's HTTP/1.1 address: the web app and its API. */
  readonly url: string;
  readonly exchange: RunningExchange;
  market(symbol: string): Promise<Market>;
  /** Resolves once the market maker quotes both sides of `symbol`, with the best prices. */
  quoted(symbol: string): Promise<BestPrices>;
  stop(): Promise<void>;
}

/**
 * Builds web/dist when it is missing or older than the web app's sources, as `npm start`'s prestart does:
 * the test starts scripts/start.ts itself, so npm's prestart hook does not run.
 */
export async function ensureWebBuild(): Promise<void> {
  await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/ensure-web-build.ts"], {
    cwd: repositoryRoot,
    env: process.env,
  });
}

/**
 * Starts `npm start` (one process per service) on free ports, with CoinGecko off so that nothing leaves the
 * machine, and the market maker on: the crossing order of the tests trades against its quotes.
 */
export async function startWebStack(): Promise<WebStack> {
  // The gateway serves a copy of the build, so that a rebuild of web/dist meanwhile (a developer's
  // `npm start`) cannot replace the chunks the page loads lazily under the test's feet.
  const webRoot = await mkdtemp(join(tmpdir(), "bourse-web-"));
  await cp(join(repositoryRoot, "web", "dist"), webRoot, { recursive: true });
  const exchange = await startExchange({
    ...everyPortZero,
    LOG_LEVEL: "warn",
    COINGECKO_ENABLED: "false",
    MARKETMAKER_ENABLED: "true",
    GATEWAY_WEB_ROOT: webRoot,
  }).catch(async (error: unknown) => {
    await rm(webRoot, { recursive: true, force: true });
    throw error;
  });
  const url = exchange.endpoints.gatewayHttp;
  const transport = createConnectTransport({ baseUrl: url, httpVersion: "1.1" });
  const inventory = createClient(InventoryService, transport);
  const marketData = createClient(MarketDataService, transport);
  const market = async (symbol: string) => {
    const { market: found } = await inventory.getMarket({ symbol });
    if (!found) throw new Error(`inventory has no market ${symbol}`);
    return found;
  };
  const quoted = async (symbol: string) => {
    let best: BestPrices | undefined;
    await eventually(
      `the market maker quotes both sides of ${symbol}`,
      async () => {
        const { book } = await marketData.getOrderBook({ market: symbol, depth: 1 });
        const [bid, ask] = [book?.bids[0]?.price, book?.asks[0]?.price];
        best = bid && ask ? { bid, ask } : undefined;
        return best !== undefined;
      },
      () => exchange.output().slice(-4000),
    );
    return best as BestPrices;
  };
  const stop = async () => {
    await exchange.stop();
    await rm(webRoot, { recursive: true, force: true });
  };
  return { url, exchange, market, quoted, stop };
}
