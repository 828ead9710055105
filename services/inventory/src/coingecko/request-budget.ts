/**
 * A client-side request budget: at most `limit` requests in any sliding window of `windowMs` (CoinGecko's
 * free tier allows about 30 a minute; staying under it avoids 429s rather than reacting to them).
 */
export class RequestBudget {
  private readonly sent: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Takes one request from the budget; false when the window is full (nothing is taken then). */
  tryTake(): boolean {
    const now = this.now();
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - this.windowMs) this.sent.shift();
    if (this.sent.length >= this.limit) return false;
    this.sent.push(now);
    return true;
  }

  /** Requests left in the current window. */
  remaining(): number {
    const now = this.now();
    return this.limit - this.sent.filter((at) => at > now - this.windowMs).length;
  }
}
