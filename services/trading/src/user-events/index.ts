export { MemoryUserEventLog, type MemoryUserEventLogOptions } from "./memory-user-event-log.js";
export {
  balancesOf,
  balanceUpdateOf,
  closingKindOf,
  indexBalances,
  type OrderEvent,
  orderEventToAppend,
  orderUpdateOf,
} from "./order-update.js";
export { RedisUserEventLog, type RedisUserEventLogOptions } from "./redis-user-event-log.js";
export { RemoteUserEventLog } from "./remote-user-event-log.js";
export { servicePublisher } from "./service-publisher.js";
export { acquireUserEventLog, type UserEventLogHandle } from "./shared-user-event-log.js";
export type {
  UserEvent,
  UserEventLog,
  UserEventReplay,
  UserEventSubscription,
  UserEventToAppend,
} from "./user-event-log.js";
export { UserEventPublisher, type UserEventPublisherOptions } from "./user-event-publisher.js";
export { type EmbeddedUserEventsOptions, registerEmbeddedUserEvents } from "./user-event-routes.js";
