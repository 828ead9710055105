export type { BusObserver } from "./bus-events.js";
export { type BusConfig, busConfigOf, createBus } from "./create-bus.js";
export { MemoryBus } from "./memory-bus.js";
export type { MessageBus, Subscription } from "./message-bus.js";
export { RedisBus, type RedisBusOptions } from "./redis-bus.js";
