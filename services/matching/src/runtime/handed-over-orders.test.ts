import { describe, expect, it } from "vitest";
import { HandedOverOrders } from "./handed-over-orders.js";

const STARTED = new Date("2025-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(STARTED.getTime() + ms);
let created = 0;
const orderCreatedAt = (createdAt: Date) => ({ orderId: `ORDER${++created}`, createdAt });

describe("HandedOverOrders", () => {
  it("trusts an order created since the runner started, until the runner submits it or it ages", () => {
    const handedOver = new HandedOverOrders(STARTED);
    const order = orderCreatedAt(at(5));
    expect(handedOver.trusts(order, at(6))).toBe(true);

    handedOver.submitting(order);
    expect(handedOver.trusts(order, at(7))).toBe(false);

    const other = orderCreatedAt(at(10));
    expect(handedOver.trusts(other, at(10_009))).toBe(true);
    expect(handedOver.trusts(other, at(10_011))).toBe(false);
  });

  it("never trusts an order created before the runner started: a previous owner may have processed it", () => {
    const handedOver = new HandedOverOrders(STARTED);
    expect(handedOver.trusts(orderCreatedAt(at(-1)), at(1))).toBe(false);
    expect(handedOver.trusts(orderCreatedAt(at(0)), at(1))).toBe(false);
  });

  it("keeps distrusting a submitted order even if the clock steps back", () => {
    const handedOver = new HandedOverOrders(STARTED);
    const order = orderCreatedAt(at(5));
    handedOver.submitting(order);
    expect(handedOver.trusts(orderCreatedAt(at(20)), at(20_000))).toBe(false);
    expect(handedOver.trusts(order, at(6))).toBe(false);
  });
});
