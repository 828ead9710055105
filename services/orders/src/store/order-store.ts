import type { Item, SortCondition, Store } from "@bourse/common/storage";
import { queryItems } from "@bourse/common/storage";
import {
  type AccountTradeRecord,
  accountOrdersPartition,
  accountTradeFromItem,
  accountTradeKey,
  clientOrderKey,
  type OrderRecord,
  orderFromItem,
  orderKey,
  orderTradesPartition,
} from "@bourse/trading";

/** The two ranges of an account's orders on GSI1 (see `accountOrdersSortKey`). */
export type OrderRange = "OPEN" | "DONE";

export interface OrderListing {
  readonly accountId: string;
  readonly ranges: readonly OrderRange[];
  /** Continue with orders older than this one. */
  readonly beforeOrderId?: string;
  readonly accept: (order: OrderRecord) => boolean;
  readonly limit: number;
}

export interface TradeListing {
  readonly accountId: string;
  /** The caller's order to list the trades of; all of the account's trades when absent. */
  readonly orderId?: string;
  /** Continue after this key (a `pageKey` of the previous page's last trade). */
  readonly beforeKey?: string;
  readonly accept: (trade: AccountTradeRecord) => boolean;
  readonly limit: number;
}

export interface Listed<T> {
  readonly items: T[];
  /** True when more items passed the filter after the last one listed. */
  readonly more: boolean;
}

const READ_PAGE = 100;

/** Sort keys strictly below `before` within a prefix, or the whole prefix. */
function olderThan(prefix: string, before: string | undefined): SortCondition {
  return before === undefined ? { beginsWith: prefix } : { between: [prefix, `${prefix}${before}`] };
}

/** Merges streams that are each sorted newest first by `key` into one such stream. */
async function* newestFirst<T>(streams: AsyncIterator<T>[], key: (item: T) => string): AsyncGenerator<T> {
  const heads = await Promise.all(streams.map((stream) => stream.next()));
  for (;;) {
    let best = -1;
    for (const [index, head] of heads.entries()) {
      if (head.done) continue;
      const current = heads[best];
      if (best === -1 || (current && !current.done && key(head.value) > key(current.value))) best = index;
    }
    const winner = heads[best];
    const stream = streams[best];
    if (best === -1 || !winner || winner.done || !stream) return;
    yield winner.value;
    heads[best] = await stream.next();
  }
}

async function take<T>(
  stream: AsyncIterable<T>,
  accept: (item: T) => boolean,
  limit: number,
): Promise<Listed<T>> {
  const items: T[] = [];
  for await (const item of stream) {
    if (!accept(item)) continue;
    if (items.length === limit) return { items, more: true };
    items.push(item);
  }
  return { items, more: false };
}

/** Reads of orders and of accounts' trades; the writes are the placement committer's and matching's. */
export class OrderStore {
  constructor(private readonly store: Store) {}

  /** Strongly consistent: what matching committed before answering is there. */
  async get(orderId: string): Promise<OrderRecord | undefined> {
    const item = await this.store.get(orderKey(orderId));
    return item && orderFromItem(item);
  }

  /** The order a client order id of the account is bound to, if any. */
  async boundOrderId(accountId: string, clientOrderId: string): Promise<string | undefined> {
    const item = await this.store.get(clientOrderKey(accountId, clientOrderId));
    return typeof item?.orderId === "string" ? item.orderId : undefined;
  }

  /** The account's orders, newest first, read from the given ranges of its GSI1 partition. */
  listOrders(listing: OrderListing): Promise<Listed<OrderRecord>> {
    const streams = listing.ranges.map((range) =>
      this.orders(listing.accountId, range, listing.beforeOrderId)[Symbol.asyncIterator](),
    );
    return take(
      newestFirst(streams, (order) => order.orderId),
      (order) => order.orderId !== listing.beforeOrderId && listing.accept(order),
      listing.limit,
    );
  }

  /** The account's trades (or one order's), newest first. */
  listTrades(listing: TradeListing): Promise<Listed<AccountTradeRecord>> {
    const items =
      listing.orderId === undefined
        ? queryItems(this.store, {
            // The partition of accountTradeKey.
            partition: `ACCOUNT#${listing.accountId}#TRADES`,
            sort: listing.beforeKey === undefined ? undefined : { lt: listing.beforeKey },
            forward: false,
            limit: READ_PAGE,
          })
        : queryItems(this.store, {
            index: "GSI1",
            partition: orderTradesPartition(listing.orderId),
            sort: listing.beforeKey === undefined ? undefined : { lt: listing.beforeKey },
            forward: false,
            limit: READ_PAGE,
          });
    return take(mapItems(items, accountTradeFromItem), listing.accept, listing.limit);
  }

  private orders(
    accountId: string,
    range: OrderRange,
    before: string | undefined,
  ): AsyncIterable<OrderRecord> {
    return mapItems(
      queryItems(this.store, {
        index: "GSI1",
        partition: accountOrdersPartition(accountId),
        sort: olderThan(`${range}#`, before),
        forward: false,
        limit: READ_PAGE,
      }),
      orderFromItem,
    );
  }
}

/** The key a trade listing continues after: its sort key in the partition the listing reads. */
export function tradePageKey(trade: AccountTradeRecord, byOrder: boolean): string {
  return byOrder ? String(trade.sequence).padStart(16, "0") : accountTradeKey(trade).SK;
}

async function* mapItems<T>(items: AsyncIterable<Item>, decode: (item: Item) => T): AsyncGenerator<T> {
  for await (const item of items) yield decode(item);
}
