import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A coin the fake knows, with its price written exactly as it appears in the JSON (e.g. "1.162e-05"). */
export interface FakeCoin {
  readonly id: string;
  readonly symbol: string;
  readonly price: string;
  readonly change24h: string;
  /** Epoch seconds. */
  readonly lastUpdated: number;
}

/**
 * A scripted answer: a status with headers and a body, a 200 that streams `streamBytes` bytes of filler
 * (stopping when the client hangs up), or no answer at all until the client gives up.
 */
export type FakeAnswer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly streamBytes: number; readonly headers?: Record<string, string> }
  | { readonly hang: true };

export interface RecordedRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A local HTTP server that speaks CoinGecko's API shape: `/coins/markets` and `/simple/price` answer from a
 * table of coins with responses laid out like recorded CoinGecko ones, unless a scripted answer is queued
 * (429 with Retry-After, 500, malformed JSON, a hang). Records every request.
 */
export interface FakeCoinGecko {
  /** Base URL, like https://api.coingecko.com/api/v3. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly coins: Map<string, FakeCoin>;
  /** Bytes of streamed answers that reached the socket before the client hung up. */
  readonly streamedBytes: () => number;
  /** Answers for the next requests, in order; then back to the coin table. */
  script(...answers: FakeAnswer[]): void;
  /** Answers every request this way until cleared with undefined. */
  always(answer: FakeAnswer | undefined): void;
  close(): Promise<void>;
}

function coinsMarketsBody(coins: readonly FakeCoin[]): string {
  const entries = coins.map(
    (coin, index) =>
      `{"id":"${coin.id}","symbol":"${coin.symbol}","name":"${coin.id}",` +
      `"image":"https://coin-images.coingecko.com/coins/images/1/large/${coin.id}.png",` +
      `"current_price":${coin.price},"market_cap":1.3e12,"market_cap_rank":${index + 1},` +
      `"fully_diluted_valuation":null,"total_volume":2.1e10,"high_24h":${coin.price},"low_24h":${coin.price},` +
      `"price_change_24h":0.5,"price_change_percentage_24h":${coin.change24h},` +
      `"circulating_supply":19700000.0,"total_supply":21000000.0,"max_supply":21000000.0,"ath":73738,` +
      `"ath_change_percentage":-12.3,"ath_date":"2024-03-14T07:10:36.635Z","atl":67.81,` +
      `"atl_change_percentage":94000.1,"atl_date":"2013-07-06T00:00:00.000Z","roi":null,` +
      `"last_updated":"${new Date(coin.lastUpdated * 1000).toISOString()}"}`,
  );
  return `[${entries.join(",")}]`;
}

function simplePriceBody(coins: readonly FakeCoin[]): string {
  const entries = coins.map(
    (coin) =>
      `"${coin.id}":{"usd":${coin.price},"usd_24h_change":${coin.change24h},"last_updated_at":${coin.lastUpdated}}`,
  );
  return `{${entries.join(",")}}`;
}

/** Writes `total` bytes in 64 KiB chunks, waiting for the client to read each, until done or hung up. */
function streamFiller(response: ServerResponse, total: number, onWritten: (bytes: number) => void): void {
  const chunk = Buffer.alloc(64 * 1024, " ");
  let left = total;
  const writeMore = () => {
    while (left > 0 && !response.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      onWritten(piece.length);
      if (!response.write(piece)) {
        response.once("drain", writeMore);
        return;
      }
    }
    if (left === 0) response.end();
  };
  writeMore();
}

export async function startFakeCoinGecko(coins: readonly FakeCoin[] = []): Promise<FakeCoinGecko> {
  const table = new Map(coins.map((coin) => [coin.id, coin]));
  const requests: RecordedRequest[] = [];
  const queue: FakeAnswer[] = [];
  let standing: FakeAnswer | undefined;
  let streamed = 0;
  const hanging = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/api\/v3/, "");
    requests.push({ path, query: url.searchParams, headers: request.headers });
    const answer = queue.shift() ?? standing;
    if (answer && "hang" in answer) {
      hanging.add(response);
      response.on("close", () => hanging.delete(response));
      return;
    }
    if (answer && "streamBytes" in answer) {
      response.writeHead(200, { "content-type": "application/json", ...answer.headers });
      streamFiller(response, answer.streamBytes, (bytes) => {
        streamed += bytes;
      });
      return;
    }
    if (answer) {
      response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      response.end(answer.body ?? `{"status":{"error_code":${answer.status}}}`);
      return;
    }
    const wanted = (url.searchParams.get("ids") ?? "").split(",");
    const known = wanted.flatMap((id) => table.get(id) ?? []);
    if (path === "/coins/markets" || path === "/simple/price") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(path === "/coins/markets" ? coinsMarketsBody(known) : simplePriceBody(known));
      return;
    }
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"error":"Not Found"}');
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/v3`,
    requests,
    coins: table,
    streamedBytes: () => streamed,
    script: (...answers) => queue.push(...answers),
    always: (answer) => {
      standing = answer;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
