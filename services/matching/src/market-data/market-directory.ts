import { invalidArgument, notFound } from "@bourse/common";
import { MARKET_SYMBOL } from "@bourse/common/identifiers";

/** How long the list of markets is trusted: markets are listed or delisted by hand, rarely. */
const LIST_TTL_MS = 30_000;

/**
 * The markets inventory lists, for market data's checks: a malformed symbol is `invalid_argument`, one
 * that inventory does not list is `not_found`. The list is read at most once per LIST_TTL_MS, so a request
 * naming a market costs no table read.
 */
export class MarketDirectory {
  private cached:
    | { readonly symbols: ReadonlySet<string>; readonly sorted: string[]; readonly at: number }
    | undefined;
  private reading: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly list: () => Promise<string[]>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** `symbol`, once checked: well formed (`field` names it in the error) and listed. */
  async known(symbol: string, field = "market"): Promise<string> {
    if (!MARKET_SYMBOL.test(symbol)) throw invalidArgument(`${field}: must be BASE-QUOTE, e.g. BTC-USD`);
    if (!(await this.symbols()).has(symbol)) throw notFound(`market ${symbol} does not exist`);
    return symbol;
  }

  /** Every listed market, by symbol. */
  async all(): Promise<string[]> {
    await this.symbols();
    return [...(this.cached?.sorted ?? [])];
  }

  private async symbols(): Promise<ReadonlySet<string>> {
    const cached = this.cached;
    if (cached !== undefined && this.clock() - cached.at < LIST_TTL_MS) return cached.symbols;
    this.reading ??= this.list()
      .then((listed) => {
        const sorted = [...listed].sort();
        const symbols = new Set(sorted);
        this.cached = { symbols, sorted, at: this.clock() };
        return symbols;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
