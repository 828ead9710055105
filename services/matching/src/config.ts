import { type Env, loadConfig, millisecondsVar } from "@bourse/common";
import { serviceCredentialVar } from "@bourse/common/auth";
import { marketSymbolSchema } from "@bourse/common/identifiers";
import { MAX_TRANSACT_ITEMS } from "@bourse/common/storage";
import { z } from "zod";

const marketListVar = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((symbol) => symbol.trim())
      .filter((symbol) => symbol !== ""),
  )
  .pipe(z.array(marketSymbolSchema).min(1, "name at least one market"));

/**
 * The fewest items a settlement transaction may be cut to: one fill whose maker leaves the book takes up to 23
 * (five balances, eight entries, two holds, the settlement and release records, two orders, two trade records,
 * the BOOK sequence and the fence), and a fill is never split.
 */
export const MIN_TRANSACTION_ITEMS = 24;

/** The matching service's own settings (the runtime's are read by the runtime). */
export const matchingConfigSchema = z.object({
  /** The shared secret that orders and the market maker present to call MatchingService (DESIGN §3.8). */
  SERVICE_CREDENTIAL: serviceCredentialVar,
  /**
   * Markets this replica may own, comma separated ("BTC-USD,ETH-USD"). Unset: every market in
   * inventory's table, read again at every claim round so that new markets are picked up.
   */
  MATCHING_MARKETS: marketListVar.optional(),
  /**
   * The URL other services reach this replica at, stored on each market it owns so that orders can
   * route to it. Unset: `http://<BIND_HOST or 127.0.0.1>:<RPC_PORT>`.
   */
  MATCHING_ADVERTISE_URL: z.url().optional(),
  /** Lease of a market's lock: an owner that dies is replaced within about this long. Renewed at a third. */
  MATCHING_LEASE_MS: z.coerce.number().int().min(300).default(5_000),
  /** How often a replica looks for markets nobody owns (0: a third of the lease). */
  MATCHING_CLAIM_INTERVAL_MS: millisecondsVar(0),
  /** A replica waits this long per market it owns before claiming a free one, so replicas split markets. */
  MATCHING_CLAIM_STAGGER_MS: millisecondsVar(20),
  /** How often an owner looks for accepted orders that were never submitted to it. */
  MATCHING_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).default(3_000),
  /** An accepted order still pending after this long is submitted by the owner itself (its submitter died). */
  MATCHING_PENDING_AGE_MS: millisecondsVar(2_000),
  /** Most commands one group commit executes before it writes. */
  MATCHING_MAX_BATCH_COMMANDS: z.coerce.number().int().min(1).default(256),
  /** Commands waiting in one market's queue; past that a command is refused with resource_exhausted. */
  MATCHING_MAX_QUEUE: z.coerce.number().int().min(1).default(10_000),
  /**
   * Most items in one settlement transaction: DynamoDB's limit. Smaller values cut sweeps over more
   * transactions, as tests of a crash between two transactions of one sweep want.
   */
  MATCHING_MAX_TRANSACTION_ITEMS: z.coerce
    .number()
    .int()
    .min(MIN_TRANSACTION_ITEMS)
    .max(MAX_TRANSACT_ITEMS)
    .default(MAX_TRANSACT_ITEMS),
  /**
   * Book levels a StreamOrderBook reader may have pending (merged changes it has not taken yet); past that
   * it gets a fresh snapshot instead, so a slow reader never costs more than about a book's size.
   */
  MARKETDATA_MAX_PENDING_LEVELS: z.coerce.number().int().min(1).default(10_000),
  /**
   * The least time between two book deltas to a StreamOrderBook reader that asks for no interval of its own;
   * changes in between are merged into the next delta. What 200 readers cost matching's process depends on it
   * (`npm run bench:marketdata`); 0 sends each reader its changes as fast as it reads them.
   */
  MARKETDATA_BOOK_INTERVAL_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  /** Trades a StreamTrades reader may have waiting; past that it is ended with resource_exhausted. */
  MARKETDATA_TRADE_BUFFER: z.coerce.number().int().min(1).default(10_000),
  /** StreamTickers sends each market at most once per this interval. */
  MARKETDATA_TICKER_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
  /**
   * How often an owner writes its markets' changed candles (and their trade watermark) to the table: what
   * replicas that do not own a market serve may be this far behind; a restart catches up from the trades.
   */
  MARKETDATA_CANDLE_FLUSH_MS: z.coerce.number().int().min(10).default(1_000),
});

export type MatchingConfig = z.infer<typeof matchingConfigSchema>;

export function loadMatchingConfig(env: Env): MatchingConfig {
  return loadConfig("matching", matchingConfigSchema, env);
}

/** The URL stored as a market's owner when MATCHING_ADVERTISE_URL is unset: this replica's own rpc port. */
export function defaultAdvertiseUrl(bindHost: string, rpcPort: number): string {
  const host = bindHost === "0.0.0.0" || bindHost === "::" ? "127.0.0.1" : bindHost;
  return `http://${host.includes(":") ? `[${host}]` : host}:${rpcPort}`;
}
