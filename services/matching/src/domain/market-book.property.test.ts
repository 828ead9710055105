import { parseDecimal } from "@bourse/common/money";
import {
  holdFor,
  lotsToBaseUnits,
  lotsToQuantity,
  OPEN_STATES,
  type OrderRecord,
  quantityToLots,
  type TradingMarket,
} from "@bourse/trading";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarketBook } from "./market-book.js";
import type { CommandOutcome, FillStep, HoldRelease } from "./outcome.js";
import { NOW, reported } from "./test-support/market-book-fixtures.js";
import { commandStream, markets, runCommand } from "./test-support/market-book-streams.js";

const RUNS = 150;

const rebuilt = (book: MarketBook, market: TradingMarket) =>
  new MarketBook(market, {
    seq: book.seq,
    // As recovery reads them from the book index: by book sequence, sides mixed.
    resting: [...book.restingRecords()].sort((a, b) => (a.bookSeq ?? 0) - (b.bookSeq ?? 0)),
  });

const view = (book: MarketBook) => ({
  seq: book.seq,
  status: book.status(),
  depth: book.depth(20),
  resting: book.restingRecords(),
});

describe("MarketBook rebuilt from its resting orders", () => {
  it("has the same book and produces the same outcomes as the book it was rebuilt from", () => {
    fc.assert(
      fc.property(markets, commandStream(60), commandStream(40), (market, before, after) => {
        const original = new MarketBook(market, { seq: 0, resting: [] });
        const placed: OrderRecord[] = [];
        for (const command of before) runCommand(original, market, command, placed);

        const copy = rebuilt(original, market);
        expect(view(copy)).toEqual(view(original));
        const placedCopy = [...placed];
        for (const command of after) {
          const expected = runCommand(original, market, command, placed);
          expect(runCommand(copy, market, command, placedCopy)).toEqual(expected);
          expect(view(copy)).toEqual(view(original));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("MarketBook resuming a sweep cut between settlement transactions", () => {
  it("finishes the taker from its stored progress exactly as the uncut sweep did", () => {
    fc.assert(
      fc.property(markets, commandStream(80), fc.nat(), (market, stream, cutAt) => {
        const book = new MarketBook(market, { seq: 0, resting: [] });
        const placed: OrderRecord[] = [];
        for (const command of stream) {
          const before = book.restingRecords();
          const outcome = runCommand(book, market, command, placed);
          if (outcome === undefined || outcome.steps.length === 0) continue;
          const cut = cutAt % outcome.steps.length;
          const written = outcome.steps.slice(0, cut + 1);
          const taker = (written.at(-1) as FillStep).takerAfter;

          // What the store holds: the makers as the written fills left them, the taker pending.
          const stored = new Map(before.map((order) => [order.orderId, order]));
          stored.delete(taker.orderId);
          for (const { makerAfter } of written) {
            if (OPEN_STATES.has(makerAfter.status)) stored.set(makerAfter.orderId, makerAfter);
            else stored.delete(makerAfter.orderId);
          }
          const recovered = new MarketBook(market, {
            seq: Number((written.at(-1) as FillStep).trade.sequence),
            resting: [...stored.values()].sort((a, b) => (a.bookSeq ?? 0) - (b.bookSeq ?? 0)),
          });
          const resumed = recovered.submit(taker, NOW);

          expect(resumed.steps.map(fillOf)).toEqual(outcome.steps.slice(cut + 1).map(fillOf));
          expect(withoutBookSeq(reported(resumed))).toEqual(withoutBookSeq(reported(outcome)));

          // A maker that self-trade prevention expired during the written fills is only written with the
          // closing. If the resumed taker has nothing left to meet it with, it simply stays in the book,
          // its hold intact: the command was never acknowledged, so no one was told it expired.
          const reexpired = new Set(resumed.closing.orders.map((order) => order.orderId));
          const kept = outcome.closing.orders
            .filter((order) => order.orderId !== taker.orderId && !reexpired.has(order.orderId))
            .map((order) => order.orderId);
          for (const orderId of kept) expect(recovered.order(orderId)).toEqual(stored.get(orderId));
          const keptRelease = (release: HoldRelease) => kept.includes(release.holdReferenceId);
          expect(resumed.closing.releases).toEqual(outcome.closing.releases.filter((r) => !keptRelease(r)));
          const ids = (resting: OrderRecord[]) =>
            resting.map((order) => order.orderId).filter((orderId) => !kept.includes(orderId));
          expect(ids(recovered.restingRecords())).toEqual(ids(book.restingRecords()));
          if (kept.length === 0) expect(recovered.depth(20)).toEqual(book.depth(20));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** A fill without its sequence, which differs between the original and the resumed run. */
const fillOf = ({ trade, makerAfter, releases }: FillStep) => ({
  maker: makerAfter.orderId,
  makerStatus: makerAfter.status,
  price: trade.price,
  quantity: trade.quantity,
  buyerFee: trade.buyer.fee,
  sellerFee: trade.seller.fee,
  releases,
});

const withoutBookSeq = ({ bookSeq: _, ...order }: OrderRecord) => order;

describe("MarketBook holds", () => {
  it("never lets an order's fills consume more than its hold, and releases each done order once", () => {
    fc.assert(
      fc.property(markets, commandStream(120), (market, stream) => {
        const book = new MarketBook(market, { seq: 0, resting: [] });
        const placed: OrderRecord[] = [];
        const consumed = new Map<string, bigint>();
        const released = new Set<string>();
        let lastTrade = 0n;
        const consume = (order: OrderRecord, amount: bigint) => {
          const total = (consumed.get(order.orderId) ?? 0n) + amount;
          consumed.set(order.orderId, total);
          expect(total).toBeLessThanOrEqual(order.holdAmount);
        };
        const release = (referenceId: string) => {
          expect(released.has(referenceId)).toBe(false);
          released.add(referenceId);
        };
        const check = (outcome: CommandOutcome) => {
          expect(outcome.seq).toBe(book.seq);
          for (const step of outcome.steps) {
            const { trade, makerAfter, takerAfter } = step;
            expect(trade.sequence).toBeGreaterThan(lastTrade);
            lastTrade = trade.sequence;
            const [buyer, seller] =
              makerAfter.orderId === trade.buyer.orderId
                ? [makerAfter, takerAfter]
                : [takerAfter, makerAfter];
            const quote = parseDecimal(trade.quoteAmount, market.quoteScale);
            consume(buyer, quote + parseDecimal(trade.buyer.fee, market.quoteScale));
            consume(seller, parseDecimal(trade.quantity, market.baseScale));
            expect(buyer.filledQuote + buyer.feeQuote).toBe(consumed.get(buyer.orderId));
            for (const { referenceId } of step.releases) release(referenceId);
          }
          for (const { referenceId } of outcome.closing.releases) release(referenceId);
          for (const order of [...outcome.steps.map((step) => step.makerAfter), ...outcome.closing.orders]) {
            const done = order.status !== "NEW" && order.status !== "PARTIALLY_FILLED";
            expect(released.has(`${order.orderId}:close`)).toBe(done);
          }
        };
        for (const command of stream) {
          const outcome = runCommand(book, market, command, placed);
          if (outcome !== undefined) check(outcome);
          for (const order of book.restingRecords()) expect(stillCovered(order, market)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** What remains under a resting order's hold still reserves its open part at its price, fees included. */
function stillCovered(order: OrderRecord, market: TradingMarket): boolean {
  const rates = { ...market, makerFeeRate: order.makerFeeRate, takerFeeRate: order.takerFeeRate };
  const openLots =
    quantityToLots(order.quantity, market) - Number(order.filledBase / lotsToBaseUnits(1, market));
  const open = { ...order, quantity: lotsToQuantity(openLots, market) };
  const spent = order.side === "buy" ? order.filledQuote + order.feeQuote : order.filledBase;
  return holdFor(open, rates).amount <= order.holdAmount - spent;
}
