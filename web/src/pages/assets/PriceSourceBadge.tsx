import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { describePriceSource } from "./price-source.ts";

/**
 * Where a price came from, as a small badge; stale and synthetic sources are styled as warnings. Nothing for a
 * price without a source (USD, worth 1 by definition).
 */
export function PriceSourceBadge({ source }: { source: PriceSource }) {
  if (source === PriceSource.UNSPECIFIED) return null;
  const { label, description, live } = describePriceSource(source);
  return (
    <span className={live ? "badge" : "badge badge-warning"} title={description}>
      {label}
      <span className="visually-hidden"> price: {description}</span>
    </span>
  );
}
