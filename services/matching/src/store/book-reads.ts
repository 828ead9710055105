import { type Item, queryAll, type Store } from "@bourse/common/storage";
import {
  marketBookKey,
  marketBookPartition,
  OPEN_STATES,
  type OrderRecord,
  orderFromItem,
  orderKey,
  PENDING_PREFIX,
} from "@bourse/trading";

/** What recovery rebuilds a market from (docs/order-flow.md, "Recovery"). */
export interface StoredBook {
  /** The sequence the last committed transaction wrote; 0 before the market's first one. */
  readonly seq: number;
  /** Open orders in the book, by `bookSeq` (their time priority). */
  readonly resting: OrderRecord[];
  /** Open orders waiting for matching, by `orderId` (acceptance order). */
  readonly pending: OrderRecord[];
}

/** Orders read by one getMany: ten batch requests in flight at most, however large the book. */
const ORDERS_PER_READ = 1000;

/** The order as stored now (strongly consistent), or undefined. */
export async function readOrder(store: Store, orderId: string): Promise<OrderRecord | undefined> {
  const item = await store.get(orderKey(orderId), { consistent: true });
  return item && orderFromItem(item);
}

/** The orders as stored now (strongly consistent), in batch reads; missing ones are left out. */
export async function readOrders(store: Store, orderIds: readonly string[]): Promise<OrderRecord[]> {
  const records: OrderRecord[] = [];
  for (let start = 0; start < orderIds.length; start += ORDERS_PER_READ) {
    const keys = orderIds.slice(start, start + ORDERS_PER_READ).map(orderKey);
    for (const item of await store.getMany(keys, { consistent: true })) {
      if (item) records.push(orderFromItem(item));
    }
  }
  return records;
}

const orderIdOf = (item: Item): string => String(item.orderId);
const byOrderId = (a: OrderRecord, b: OrderRecord) =>
  a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;

/**
 * The market's book as the table holds it. The index (GSI2 `BOOK#<m>`, eventually consistent) only names
 * the open orders; each is then read from the table, and its stored state decides where it goes.
 */
export async function readStoredBook(store: Store, market: string): Promise<StoredBook> {
  const [bookItem, indexed] = await Promise.all([
    store.get(marketBookKey(market), { consistent: true }),
    queryAll(store, { index: "GSI2", partition: marketBookPartition(market) }),
  ]);
  const orders = (await readOrders(store, indexed.map(orderIdOf))).filter(
    (order) => order.market === market && OPEN_STATES.has(order.status),
  );
  const resting = orders
    .filter((order) => order.bookSeq !== undefined)
    .sort((a, b) => (a.bookSeq as number) - (b.bookSeq as number));
  const pending = orders.filter((order) => order.bookSeq === undefined).sort(byOrderId);
  return { seq: bookItem === undefined ? 0 : Number(bookItem.seq), resting, pending };
}

/** Ids of the market's orders accepted before `acceptedBefore` and still waiting for matching. */
export async function readStalePendingOrderIds(
  store: Store,
  market: string,
  acceptedBefore: Date,
): Promise<string[]> {
  const items = await queryAll(store, {
    index: "GSI2",
    partition: marketBookPartition(market),
    sort: { beginsWith: PENDING_PREFIX },
  });
  return items
    .filter((item) => new Date(String(item.createdAt)).getTime() < acceptedBefore.getTime())
    .map(orderIdOf);
}
