import type { Side, StpMode } from "./commands.js";
import type { PriceLevel } from "./price-level.js";

/**
 * A live order. It is also the node of its price level's FIFO queue (`prev`/`next`), so queueing,
 * cancelling and filling never allocate. Order objects are recycled through the engine's
 * free list once the order is done, so every field can be reset.
 */
export class Order {
  prev: Order | null = null;
  next: Order | null = null;
  level: PriceLevel | null = null;

  constructor(
    public id: number,
    public accountId: number,
    public side: Side,
    /** Ticks; 0 for a market order. */
    public price: number,
    /** Lots placed, as adjusted by amends: always `filled + remaining`. 0 for an order sized by quote. */
    public quantity: number,
    public remaining: number,
    public filled: number,
    public stp: StpMode,
    public postOnly: boolean,
  ) {}
}
