import { z } from "zod";
import { toPlainDecimal } from "./exact-json.js";

/** One CoinGecko price, exact: decimal strings taken from the response text, never through a double. */
export interface CoinGeckoQuote {
  readonly coingeckoId: string;
  /** USD per unit, plain positive decimal string. */
  readonly price: string;
  /** Signed plain decimal string; empty when CoinGecko has none. */
  readonly change24hPercent: string;
  /** When CoinGecko last updated the price, epoch milliseconds; undefined when it does not say. */
  readonly observedAt: number | undefined;
}

/** A JSON number as kept by parseJsonExact, converted to a plain decimal string. */
const number = z.string().transform((literal, context) => {
  const plain = toPlainDecimal(literal);
  if (plain === undefined) {
    context.addIssue({ code: "custom", message: `not a number: ${literal.slice(0, 40)}` });
    return z.NEVER;
  }
  return plain;
});

const isPositive = (plain: string) => !plain.startsWith("-") && /[1-9]/.test(plain);

const coinsMarketsSchema = z.array(
  z.looseObject({
    id: z.string().min(1),
    current_price: number.nullable(),
    price_change_percentage_24h: number.nullish(),
    last_updated: z.iso.datetime({ offset: true }).nullish(),
  }),
);

const simplePriceSchema = z.record(
  z.string().min(1),
  z.looseObject({
    usd: number.optional(),
    usd_24h_change: number.nullish(),
    last_updated_at: number.nullish(),
  }),
);

/** Coins without a price (null, missing or zero) are left out rather than failing the whole response. */
function quote(id: string, price: string | null | undefined, change: string | null | undefined, at?: number) {
  if (price == null || !isPositive(price)) return [];
  return [{ coingeckoId: id, price, change24hPercent: change ?? "", observedAt: at }];
}

/** Parses `/coins/markets` (exact-parsed JSON). Throws a ZodError naming what is wrong with the shape. */
export function parseCoinsMarkets(body: unknown): CoinGeckoQuote[] {
  return coinsMarketsSchema
    .parse(body)
    .flatMap((coin) =>
      quote(
        coin.id,
        coin.current_price,
        coin.price_change_percentage_24h,
        coin.last_updated ? Date.parse(coin.last_updated) : undefined,
      ),
    );
}

/** Parses `/simple/price` (exact-parsed JSON). Throws a ZodError naming what is wrong with the shape. */
export function parseSimplePrice(body: unknown): CoinGeckoQuote[] {
  return Object.entries(simplePriceSchema.parse(body)).flatMap(([id, coin]) => {
    const seconds = coin.last_updated_at;
    const at = seconds == null || seconds.includes(".") ? undefined : Number(seconds) * 1000;
    return quote(id, coin.usd, coin.usd_24h_change, at);
  });
}
