import type { SnapshotPrice } from "../domain/price.js";
import type { PriceSnapshotFile } from "../seed/seed-files.js";

/** The bundled snapshot by asset symbol, every price stamped with the snapshot's date. */
export function snapshotPrices(file: PriceSnapshotFile): Map<string, SnapshotPrice> {
  const asOf = Date.parse(file.asOf);
  return new Map(
    file.prices.map((entry) => [
      entry.symbol,
      { price: entry.price, change24hPercent: entry.change24hPercent, asOf },
    ]),
  );
}
