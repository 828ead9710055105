export * from "./order-record.js";
