import { DynamoDbStore, type DynamoDbStoreConfig } from "./dynamodb/dynamodb-store.js";
import { MemoryStore } from "./memory/memory-store.js";
import type { Store } from "./store.js";

export type StoreConfig = { readonly kind: "memory" } | ({ readonly kind: "dynamodb" } & DynamoDbStoreConfig);

/** The store a service runs on: the embedded engine, or a DynamoDB (or DynamoDB Local) table. */
export function createStore(config: StoreConfig): Store {
  return config.kind === "memory" ? new MemoryStore() : new DynamoDbStore(config);
}
