import fc from "fast-check";
import type { Command, PlaceCommand, StpMode, TimeInForce } from "../commands.js";
import type { EngineRules } from "../rules.js";

/**
 * Small universes on purpose: few ids, accounts and prices make duplicates, cancels of live orders,
 * self-trades, crossing amends and multi-order levels common. A sprinkle of invalid and huge values keeps
 * the validation and overflow paths in play.
 */
const ORDER_IDS = 12;
const ACCOUNTS = 3;

const orderId = fc.integer({ min: 1, max: ORDER_IDS });
/** Usually the account that places this id, so that cancels and amends mostly find their order. */
const accountFor = (id: number) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant((id % ACCOUNTS) + 1) }, fc.integer({ min: 1, max: ACCOUNTS }));

const oddPrice = fc.constantFrom(0, -1, 2.5, Number.NaN, 2 ** 40);
/** Bids mostly low and asks mostly high, so that orders rest for a while but the middle still trades. */
const sidedPrice = (side: "buy" | "sell", spacing: number) =>
  fc.oneof(
    {
      weight: 20,
      arbitrary: (side === "buy" ? fc.integer({ min: 1, max: 7 }) : fc.integer({ min: 6, max: 12 })).map(
        (step) => step * spacing,
      ),
    },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 12 }).map((step) => step * spacing) },
    { weight: 1, arbitrary: oddPrice },
  );
const side = fc.constantFrom("buy" as const, "sell" as const);
/** Odd ids usually buy and even ids sell, so that an amend's price suits its order's side. */
const usualSide = (id: number) => (id % 2 === 1 ? "buy" : "sell");
const sideFor = (id: number) => fc.oneof({ weight: 6, arbitrary: fc.constant(usualSide(id)) }, side);

const quantity = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 1, max: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -3, 1.5) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 51, 2 ** 52, Number.MAX_SAFE_INTEGER - 1) },
);

const stp = fc.constantFrom<StpMode | undefined>(undefined, "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH");
const timeInForce = fc.constantFrom<TimeInForce>("GTC", "GTC", "GTC", "GTC", "IOC", "FOK");

const limitOrder = (spacing: number): fc.Arbitrary<PlaceCommand> =>
  orderId
    .chain((id) => fc.tuple(fc.constant(id), sideFor(id)))
    .chain(([id, orderSide]) =>
      fc.record({
        type: fc.constant("place" as const),
        orderId: fc.constant(id),
        accountId: accountFor(id),
        side: fc.constant(orderSide),
        orderType: fc.constant("limit" as const),
        timeInForce,
        price: sidedPrice(orderSide, spacing),
        quantity,
        postOnly: fc.oneof(
          { weight: 1, arbitrary: fc.constant(true) },
          { weight: 5, arbitrary: fc.constant(false) },
        ),
        stp,
      }),
    );

const marketOrder: fc.Arbitrary<PlaceCommand> = orderId.chain((id) =>
  fc.record({
    type: fc.constant("place" as const),
    orderId: fc.constant(id),
    accountId: accountFor(id),
    side,
    orderType: fc.constant("market" as const),
    timeInForce: fc.constantFrom<TimeInForce>("IOC", "IOC", "FOK", "GTC"),
    price: fc.constant(0),
    quantity,
    stp,
  }),
);

const quoteBuy = (spacing: number): fc.Arbitrary<PlaceCommand> =>
  orderId.chain((id) =>
    fc.record({
      type: fc.constant("place" as const),
      orderId: fc.constant(id),
      accountId: accountFor(id),
      side: fc.constant("buy" as const),
      orderType: fc.constant("market" as const),
      timeInForce: fc.constant("IOC" as const),
      price: fc.constant(0),
      quantity: fc.constant(0),
      quoteAmount: fc.bigInt({ min: -5n, max: 120n }).map((amount) => amount * BigInt(spacing)),
      stp,
    }),
  );

const cancel: fc.Arbitrary<Command> = orderId.chain((id) =>
  fc.record({ type: fc.constant("cancel" as const), orderId: fc.constant(id), accountId: accountFor(id) }),
);

const amend = (spacing: number): fc.Arbitrary<Command> =>
  orderId.chain((id) =>
    fc.record({
      type: fc.constant("amend" as const),
      orderId: fc.constant(id),
      accountId: accountFor(id),
      price: sidedPrice(usualSide(id), spacing),
      quantity,
    }),
  );

const command = (spacing: number): fc.Arbitrary<Command> =>
  fc.oneof(
    { weight: 10, arbitrary: limitOrder(spacing) },
    { weight: 2, arbitrary: marketOrder },
    { weight: 1, arbitrary: quoteBuy(spacing) },
    { weight: 3, arbitrary: cancel },
    { weight: 6, arbitrary: amend(spacing) },
  );

/**
 * Command streams over twelve price steps. A spacing of 1 packs them into adjacent ticks; a wide spacing
 * spreads them over several 4,096-tick pages of the book, so pages are created, crossed and emptied.
 */
export const commands = (maxLength: number, spacing = 1) =>
  fc.array(command(spacing), { minLength: 1, maxLength, size: "max" });

export const rules: fc.Arbitrary<EngineRules> = fc.record({
  minQuantity: fc.integer({ min: 1, max: 2 }),
  minNotional: fc.bigInt({ min: 0n, max: 6n }),
});
