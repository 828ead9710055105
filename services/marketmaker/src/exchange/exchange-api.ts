import { createServiceClient, type RpcMetrics } from "@bourse/common";
import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { OrderStatus, OrderType, Side, TimeInForce } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { type CallOptions, Code, ConnectError } from "@connectrpc/connect";
import type { OpenQuote } from "../domain/quote-plan.js";
import type { LadderQuote, QuotedMarket } from "../domain/quoted-market.js";
import { type AccountCredentials, AccountSession } from "./account-session.js";

/** Lists of open orders longer than this many pages are cut: far more orders than any ladder places. */
const MAX_ORDER_PAGES = 20;

export interface ReferencePrice {
  readonly price: string;
  /** `coingecko`, `cache`, `snapshot` or `simulated`. */
  readonly source: string;
}

/** What the market maker does on the exchange, as any API client would. */
export interface ExchangeApi {
  activeMarkets(): Promise<QuotedMarket[]>;
  referencePrice(asset: string): Promise<ReferencePrice>;
  /** The account's NEW and PARTIALLY_FILLED orders, by market. */
  openQuotes(): Promise<Map<string, OpenQuote[]>>;
  /** available + held per asset, as decimal strings. */
  balances(): Promise<Map<string, string>>;
  deposit(asset: string, amount: string, idempotencyKey: string): Promise<void>;
  /** Places a GTC limit order and returns the status the engine left it in (e.g. `NEW`, `FILLED`). */
  place(market: string, quote: LadderQuote, clientOrderId: string): Promise<string>;
  /** Cancels an order; one that closed meanwhile is not an error. */
  cancel(orderId: string): Promise<void>;
}

export interface ExchangeEndpoints {
  readonly usersUrl: string;
  readonly inventoryUrl: string;
  readonly ordersUrl: string;
}

export interface ExchangeApiOptions {
  readonly endpoints: ExchangeEndpoints;
  readonly credentials: AccountCredentials;
  readonly metrics?: RpcMetrics;
  /** Each call's own deadline. */
  readonly callTimeoutMs: number;
  /** Aborts calls in flight when the service stops. */
  readonly signal: AbortSignal;
}

const sideOf = (side: Side): OpenQuote["side"] => (side === Side.BUY ? "buy" : "sell");

function addDecimals(a: string, b: string): string {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  return formatDecimal(parseDecimal(a, scale) + parseDecimal(b, scale), scale);
}

/** The exchange over Connect: users (auth, balances), inventory (markets, prices) and orders. */
export function createExchangeApi(options: ExchangeApiOptions): ExchangeApi {
  const client = (baseUrl: string) => ({ baseUrl, caller: "marketmaker", metrics: options.metrics });
  const auth = createServiceClient(AuthService, client(options.endpoints.usersUrl));
  const balances = createServiceClient(BalanceService, client(options.endpoints.usersUrl));
  const inventory = createServiceClient(InventoryService, client(options.endpoints.inventoryUrl));
  const orders = createServiceClient(OrderService, client(options.endpoints.ordersUrl));
  const callOptions = (): CallOptions => ({ timeoutMs: options.callTimeoutMs, signal: options.signal });
  const session = new AccountSession(auth, options.credentials, callOptions);

  /** Runs a call as the account; a refused token is forgotten, so the next call signs in again. */
  async function signedIn<T>(call: (options: CallOptions) => Promise<T>): Promise<T> {
    const headers = await session.headers();
    try {
      return await call({ ...callOptions(), headers });
    } catch (error) {
      if (ConnectError.from(error).code === Code.Unauthenticated) session.forget();
      throw error;
    }
  }

  return {
    async activeMarkets() {
      const { markets } = await inventory.listMarkets({ status: MarketStatus.ACTIVE }, callOptions());
      return markets;
    },

    async referencePrice(asset) {
      const { prices } = await inventory.getPrices({ assets: [asset] }, callOptions());
      const price = prices[0];
      if (!price) throw new ConnectError(`inventory returned no price for ${asset}`, Code.NotFound);
      return { price: price.price, source: PriceSource[price.source].toLowerCase() };
    },

    async openQuotes() {
      const byMarket = new Map<string, OpenQuote[]>();
      let pageToken = "";
      for (let page = 0; page < MAX_ORDER_PAGES; page++) {
        const answer = await signedIn((call) =>
          orders.listOrders(
            { statuses: [OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED], pageSize: 100, pageToken },
            call,
          ),
        );
        for (const order of answer.orders) {
          const quotes = byMarket.get(order.market) ?? [];
          quotes.push({
            orderId: order.id,
            clientOrderId: order.clientOrderId,
            side: sideOf(order.side),
            price: order.price,
            remainingQuantity: order.remainingQuantity,
          });
          byMarket.set(order.market, quotes);
        }
        pageToken = answer.nextPageToken;
        if (pageToken === "") break;
      }
      return byMarket;
    },

    async balances() {
      const answer = await signedIn((call) => balances.getBalances({}, call));
      return new Map(
        answer.balances.map((balance) => [balance.asset, addDecimals(balance.available, balance.held)]),
      );
    },

    async deposit(asset, amount, idempotencyKey) {
      await signedIn((call) => balances.deposit({ asset, amount, idempotencyKey }, call));
    },

    async place(market, quote, clientOrderId) {
      const { order } = await signedIn((call) =>
        orders.placeOrder(
          {
            market,
            side: quote.side === "buy" ? Side.BUY : Side.SELL,
            type: OrderType.LIMIT,
            timeInForce: TimeInForce.GTC,
            price: quote.price,
            size: { case: "quantity", value: quote.quantity },
            clientOrderId,
          },
          call,
        ),
      );
      return OrderStatus[order?.status ?? OrderStatus.UNSPECIFIED];
    },

    async cancel(orderId) {
      try {
        await signedIn((call) => orders.cancelOrder({ target: { case: "orderId", value: orderId } }, call));
      } catch (error) {
        // Filled or gone since the listing: nothing left to cancel.
        const code = ConnectError.from(error).code;
        if (code !== Code.FailedPrecondition && code !== Code.NotFound) throw error;
      }
    },
  };
}
