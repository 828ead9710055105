import { Engine } from "../../services/matching/src/domain/index.js";
import { JournalSink } from "./journal-sink.js";

/**
 * Heap the engine keeps after a large book drains: places ORDERS resting orders at distinct prices (bids on
 * the lower half of the range, asks on the upper half, so that neither crosses), then cancels them all in
 * ascending price order, which drains the bids worst first and the asks best first. A drained engine should
 * hold no more than its bounded spare pools, so the retained figure should be a few megabytes at most.
 * Run with --expose-gc: every figure is taken after forced full collections.
 */
const ORDERS = Number(process.env.BENCH_MEMORY_ORDERS ?? 1_000_000);
const ACCOUNT = 1;
const RULES = { minQuantity: 1, minNotional: 0n };

const gc = globalThis.gc;
if (gc === undefined) throw new Error("run with node --expose-gc (npm run bench:engine-memory does)");

function heapUsed(): number {
  // Several passes: one full collection can leave garbage that only a finalizer pass releases.
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const format = (n: number) => n.toLocaleString("en-US");
/** Order i rests at price i + 1; ids follow prices, so cancelling ids in order drains in price order. */
const sideOf = (i: number) => (i < ORDERS / 2 ? "buy" : "sell");

const engine = new Engine(RULES, new JournalSink());
const start = heapUsed();

for (let i = 0; i < ORDERS; i++) {
  const result = engine.place({
    type: "place",
    orderId: i + 1,
    accountId: ACCOUNT,
    side: sideOf(i),
    orderType: "limit",
    timeInForce: "GTC",
    price: i + 1,
    quantity: 1,
  });
  if (result !== "OK") throw new Error(`place ${i + 1} refused: ${result}`);
}
const full = heapUsed();

for (let i = 0; i < ORDERS; i++) {
  const result = engine.cancel({ type: "cancel", orderId: i + 1, accountId: ACCOUNT });
  if (result !== "OK") throw new Error(`cancel ${i + 1} refused: ${result}`);
}
if (engine.orderCount !== 0) throw new Error(`${engine.orderCount} orders left after the drain`);
const drained = heapUsed();

console.log(
  `node ${process.version}; ${format(ORDERS)} resting orders at distinct prices, cancelled in price order`,
);
console.log(`heap used at start           ${megabytes(start).padStart(10)}`);
console.log(`heap used with the full book ${megabytes(full).padStart(10)}   (+${megabytes(full - start)})`);
console.log(`heap used after the drain    ${megabytes(drained).padStart(10)}`);
console.log(`retained after the drain     ${megabytes(drained - start).padStart(10)}`);
