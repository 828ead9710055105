import type { Logger } from "@bourse/common";
import { Counter, type Registry } from "prom-client";
import type { UserEventLog } from "./user-event-log.js";
import { UserEventPublisher } from "./user-event-publisher.js";

/** A service's publisher to the log, whose losses are logged and counted in `user_events_lost_total`. */
export function servicePublisher(
  log: UserEventLog,
  service: { readonly logger: Logger; readonly registry: Registry },
): UserEventPublisher {
  const lost = new Counter({
    name: "user_events_lost_total",
    help: "Users' order updates that could not be appended to the user event log (StreamMyOrders)",
    registers: [service.registry],
  });
  return new UserEventPublisher(log, {
    lost(count, error) {
      lost.inc(count);
      service.logger.warn({ err: error, count }, "user order updates lost: the user event log refused them");
    },
  });
}
