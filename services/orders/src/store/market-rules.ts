import type { Store } from "@bourse/common/storage";
import { type RevisedTradingMarket, readRevisedTradingMarket } from "@bourse/trading";

/**
 * Markets' trading rules, kept between orders: a placement does not read its market but carries
 * `marketUnchangedCheck` into its transaction, so a halt or a change of rules since cancels it; the
 * caller then `forget`s the market and reads it again. A market not trading is read every time, so that
 * its resumption applies to the very next order too.
 */
export class MarketRules {
  private readonly known = new Map<string, RevisedTradingMarket>();

  constructor(private readonly store: Store) {}

  /** The market's rules as last read, or read now (strongly consistent); undefined when it does not exist. */
  async get(symbol: string): Promise<RevisedTradingMarket | undefined> {
    const known = this.known.get(symbol);
    if (known !== undefined) return known;
    const read = await readRevisedTradingMarket(this.store, symbol);
    if (read?.market.status === "active" && Number.isInteger(read.revision)) this.known.set(symbol, read);
    return read;
  }

  /** The market changed since it was read: the next `get` reads it. */
  forget(symbol: string): void {
    this.known.delete(symbol);
  }
}
