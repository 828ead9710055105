import type { Asset } from "@bourse/proto/bourse/inventory/v1/asset_pb";
import type { Price } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { displaySigned, displayUsdPrice } from "../../lib/display-decimal.ts";
import { changeDirection, directionClass } from "../markets/ticker-table.ts";
import { PriceSourceBadge } from "./PriceSourceBadge.tsx";

/** Why an asset shows no price: USD is the unit of every price, others have no CoinGecko listing. */
function noPriceReason(asset: Asset): string {
  if (asset.symbol === "USD") return "Quote currency";
  return asset.coingeckoId === "" ? "No price source" : "Loading…";
}

/** One asset of the catalogue with its reference price, where that price came from, and when. */
export function AssetRow({ asset, price }: { asset: Asset; price: Price | undefined }) {
  const direction = changeDirection(price?.change24hPercent ?? "");
  return (
    <tr>
      <td className="num">{asset.marketCapRank === 0 ? "—" : asset.marketCapRank}</td>
      <th scope="row">
        {asset.symbol} <span className="muted">{asset.name}</span>
      </th>
      <td>{asset.category === "" ? "—" : asset.category}</td>
      <td className="num">
        {price ? displayUsdPrice(price.price) : <span className="muted">{noPriceReason(asset)}</span>}
      </td>
      <td className={`num ${directionClass(direction)}`}>
        {price && price.change24hPercent !== "" ? `${displaySigned(price.change24hPercent, 2)}%` : "—"}
      </td>
      <td>{price ? <PriceSourceBadge source={price.source} /> : "—"}</td>
      <td>{price?.asOf ? timestampDate(price.asOf).toLocaleString() : "—"}</td>
    </tr>
  );
}
