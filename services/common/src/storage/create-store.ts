import { RemoteStore } from "../embedded-state/remote-store.js";
import { DynamoDbStore, type DynamoDbStoreConfig } from "./dynamodb/dynamodb-store.js";
import { MemoryStore } from "./memory/memory-store.js";
import type { Store } from "./store.js";

export type StoreConfig =
  | { readonly kind: "memory" }
  | ({ readonly kind: "dynamodb" } & DynamoDbStoreConfig)
  /** The embedded store of `npm start`'s launcher, reached through its embedded state service. */
  | { readonly kind: "remote"; readonly url: string; readonly credential: string };

/**
 * The store a service runs on: the embedded engine, the launcher's embedded engine, or a DynamoDB (or
 * DynamoDB Local) table.
 */
export function createStore(config: StoreConfig): Store {
  switch (config.kind) {
    case "memory":
      return new MemoryStore();
    case "remote":
      return new RemoteStore(config);
    case "dynamodb":
      return new DynamoDbStore(config);
  }
}
