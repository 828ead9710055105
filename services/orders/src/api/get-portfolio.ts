import type { Authenticator } from "@bourse/common/auth";
import type { Store } from "@bourse/common/storage";
import type {
  GetPortfolioRequest,
  GetPortfolioResponse,
  PortfolioService,
} from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { fromDecimal } from "../domain/portfolio/ratio.js";
import { replayHistory } from "../domain/portfolio/replay-history.js";
import { valuePortfolio } from "../domain/portfolio/value-portfolio.js";
import type { MarkPrices } from "../prices/mark-prices.js";
import { readPortfolioHistory } from "../store/portfolio-history.js";
import { portfolioToProto } from "./portfolio-to-proto.js";

export interface PortfolioDeps {
  readonly auth: Authenticator;
  readonly store: Store;
  readonly marks: MarkPrices;
  readonly now: () => Date;
}

/**
 * GetPortfolio: the caller's history (deposits, withdrawals, fills) replayed by weighted-average cost, brought
 * to the balances and valued at the marks (services/orders/README.md, Portfolio).
 */
export async function getPortfolio(
  deps: PortfolioDeps,
  _request: GetPortfolioRequest,
  context: HandlerContext,
): Promise<GetPortfolioResponse> {
  const { userId } = await deps.auth.require(context);
  const history = await readPortfolioHistory(deps.store, userId);
  const assets = new Set(history.balances.map((balance) => balance.asset));
  for (const event of history.events) {
    if (event.kind === "fill") assets.add(event.base).add(event.quote);
    else assets.add(event.asset);
  }
  const marks = await deps.marks.marks(assets);
  const prices = new Map([...marks].map(([asset, mark]) => [asset, fromDecimal(mark.price)]));
  const positions = replayHistory(history.events, { fallbackPrice: (asset) => prices.get(asset) });
  return portfolioToProto(valuePortfolio(positions, history.balances, prices), marks, deps.now());
}

/** PortfolioService: the caller's own holdings only. */
export function portfolioHandlers(deps: PortfolioDeps): ServiceImpl<typeof PortfolioService> {
  return { getPortfolio: (request, context) => getPortfolio(deps, request, context) };
}
