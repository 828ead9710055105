export type { DepthLevel } from "./book-side.js";
export type {
  AmendCommand,
  CancelCommand,
  Command,
  OrderType,
  PlaceCommand,
  Side,
  StpMode,
  TimeInForce,
} from "./commands.js";
export { DEFAULT_STP_MODE } from "./commands.js";
export type { Depth } from "./engine.js";
export { Engine } from "./engine.js";
export { EventRecorder } from "./event-recorder.js";
export type {
  AcceptedEvent,
  AmendedEvent,
  CanceledEvent,
  CommandResult,
  CommandType,
  EngineEvent,
  EventSink,
  ExpiredEvent,
  ExpireReason,
  LevelEvent,
  RejectedEvent,
  RejectReason,
  TradeEvent,
} from "./events.js";
export type { EngineRules } from "./rules.js";
export type { EngineSnapshot, OrderView, SnapshotOrder } from "./snapshot.js";
