import { describe, expect, it } from "vitest";
import { BookSide } from "./book-side.js";
import { OrderPool } from "./order-pool.js";

describe("OrderPool", () => {
  it("hands a released order out again with every field reset", () => {
    const pool = new OrderPool();
    const first = pool.acquire(1, 10, "buy", 100, 5, "EXPIRE_MAKER", true);
    first.remaining = 2;
    first.filled = 3;
    pool.release(first);
    const second = pool.acquire(2, 20, "sell", 200, 7, "EXPIRE_TAKER", false);
    expect(second).toBe(first);
    expect(second).toMatchObject({
      id: 2,
      accountId: 20,
      side: "sell",
      price: 200,
      quantity: 7,
      remaining: 7,
      filled: 0,
      stp: "EXPIRE_TAKER",
      postOnly: false,
      prev: null,
      next: null,
      level: null,
    });
  });

  it("clears a released order's queue links, so a spare keeps no other order or level alive", () => {
    const pool = new OrderPool();
    const book = new BookSide("buy");
    const order = pool.acquire(1, 10, "buy", 100, 5, "EXPIRE_TAKER", false);
    order.prev = pool.acquire(2, 10, "buy", 100, 5, "EXPIRE_TAKER", false);
    order.next = pool.acquire(3, 10, "buy", 100, 5, "EXPIRE_TAKER", false);
    order.level = book.levelAt(100);
    pool.release(order);
    expect(order).toMatchObject({ prev: null, next: null, level: null });
    expect(pool.validateSpares()).toEqual([]);
  });

  it("allocates when it has nothing spare", () => {
    const pool = new OrderPool();
    const a = pool.acquire(1, 1, "buy", 1, 1, "EXPIRE_TAKER", false);
    const b = pool.acquire(2, 1, "buy", 1, 1, "EXPIRE_TAKER", false);
    expect(a).not.toBe(b);
  });
});
