import type { Item } from "./model.js";
import type { Query, Store } from "./store.js";

/**
 * Every item of a query, in order, read a page of `query.limit` at a time (DynamoDB may stop a page
 * sooner). Reading stops when a page carries no cursor, or when the caller stops iterating.
 */
export async function* queryItems(store: Store, query: Query): AsyncGenerator<Item> {
  let cursor = query.cursor;
  do {
    const page = await store.query({ ...query, cursor });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor !== undefined);
}

/**
 * The items of a query as one array: all of them, or the first `max`. With `max`, each page asks only
 * for the items still missing, so no more are read than needed.
 */
export async function queryAll(store: Store, query: Query, max?: number): Promise<Item[]> {
  const items: Item[] = [];
  let cursor = query.cursor;
  do {
    const limit = max === undefined ? query.limit : max - items.length;
    const page = await store.query({ ...query, limit, cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && (max === undefined || items.length < max));
  return items;
}
