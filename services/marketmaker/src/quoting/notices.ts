import type { Logger } from "@bourse/common";

/**
 * Conditions that last many cycles (a market not listed, funding off, an order refused) are logged
 * once when they start, again only if their message changes, and once when they end.
 */
export class Notices {
  private readonly active = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  raise(
    key: string,
    message: string,
    fields: Record<string, unknown> = {},
    level: "warn" | "info" = "warn",
  ): void {
    if (this.active.get(key) === message) return;
    this.active.set(key, message);
    this.logger[level](fields, message);
  }

  clear(key: string, message: string): void {
    if (this.active.delete(key)) this.logger.info(message);
  }
}
