/**
 * The engine works on numeric ids; the stored orders carry ULIDs and account ids. This maps one onto the
 * other for one market book. An order gets a fresh number each time it enters the engine and loses it once
 * it is done, so numbers are never reused among live orders; an account keeps its number for the life of
 * the book (self-trade prevention only compares them).
 */
export class EngineIds {
  private lastOrder = 0;
  private lastAccount = 0;
  private readonly orders = new Map<string, number>();
  private readonly accounts = new Map<string, number>();

  /** A new number for an order entering the engine. */
  enter(orderId: string): number {
    const number = ++this.lastOrder;
    this.orders.set(orderId, number);
    return number;
  }

  /** The number of an order in the engine, if it is there. */
  order(orderId: string): number | undefined {
    return this.orders.get(orderId);
  }

  leave(orderId: string): void {
    this.orders.delete(orderId);
  }

  account(accountId: string): number {
    let number = this.accounts.get(accountId);
    if (number === undefined) {
      number = ++this.lastAccount;
      this.accounts.set(accountId, number);
    }
    return number;
  }
}
