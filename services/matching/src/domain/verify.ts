import type { BookSide } from "./book-side.js";
import type { Order } from "./order.js";
import type { OrderPool } from "./order-pool.js";

function verifySide(book: BookSide, orders: Map<number, Order>, problems: string[]): number {
  let volume = 0;
  let counted = 0;
  let previous = null;
  for (let level = book.best; level !== null; level = level.worse) {
    const at = `${book.side} ${level.price}`;
    if (level.better !== previous) problems.push(`${at}: broken level links`);
    if (previous !== null && previous.key >= level.key) problems.push(`${at}: levels out of order`);
    if (level.key !== book.keyOf(level.price)) problems.push(`${at}: key does not match price`);
    let total = 0;
    let count = 0;
    let prior: Order | null = null;
    for (let order = level.head; order !== null; order = order.next) {
      const of = `${at} order ${order.id}`;
      if (order.prev !== prior) problems.push(`${of}: broken queue links`);
      if (order.level !== level || order.price !== level.price || order.side !== book.side) {
        problems.push(`${of}: on the wrong level`);
      }
      if (order.remaining <= 0) problems.push(`${of}: rests with nothing left`);
      if (order.filled + order.remaining !== order.quantity)
        problems.push(`${of}: filled + remaining != quantity`);
      if (orders.get(order.id) !== order) problems.push(`${of}: not indexed`);
      total += order.remaining;
      count++;
      prior = order;
    }
    if (level.tail !== prior) problems.push(`${at}: wrong tail`);
    if (count === 0) problems.push(`${at}: empty level kept`);
    if (level.count !== count) problems.push(`${at}: count ${level.count} but ${count} orders`);
    if (level.total !== total) problems.push(`${at}: total ${level.total} but orders sum to ${total}`);
    counted += count;
    volume += level.total;
    previous = level;
  }
  if (book.volume !== volume)
    problems.push(`${book.side}: volume ${book.volume} but levels sum to ${volume}`);
  for (const problem of book.validatePages()) problems.push(`${book.side} ${problem}`);
  for (const problem of book.validateSpares()) problems.push(`${book.side} ${problem}`);
  if (!Number.isSafeInteger(book.volume)) problems.push(`${book.side}: volume is not a safe integer`);
  return counted;
}

/**
 * The book's invariants: the best bid is below the best ask; levels are ordered, linked both ways and
 * match the tree; each level's total and count equal its orders'; every resting order is indexed by id,
 * has quantity left, and has filled + remaining = quantity; nothing else is indexed; and no spare level,
 * page or order holds a link that would keep old parts of the book alive.
 */
export function verifyBook(
  bids: BookSide,
  asks: BookSide,
  orders: Map<number, Order>,
  pool: OrderPool,
): string[] {
  const problems: string[] = [...pool.validateSpares()];
  const resting = verifySide(bids, orders, problems) + verifySide(asks, orders, problems);
  if (resting !== orders.size) problems.push(`${orders.size} orders indexed but ${resting} resting`);
  if (bids.best !== null && asks.best !== null && bids.best.price >= asks.best.price) {
    problems.push(`crossed book: best bid ${bids.best.price} >= best ask ${asks.best.price}`);
  }
  return problems;
}
