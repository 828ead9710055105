import { EmbeddedStoreService } from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import { type Client, createClient } from "@connectrpc/connect";
import type { Item, Key } from "../storage/model.js";
import type { ConditionOptions, GetOptions, Page, Query, Store, TransactItem } from "../storage/store.js";
import type { Update } from "../storage/update.js";
import { callPort } from "./port-errors.js";
import {
  connectEmbeddedState,
  type EmbeddedStateClientOptions,
  type EmbeddedStateConnection,
} from "./state-transport.js";
import { decodeValue, encodeValue } from "./wire.js";

/**
 * The store of the embedded state service (the launcher's MemoryStore), for a service running in a process
 * of its own under `npm start`. One call per method, over one HTTP/2 connection; the store's errors come
 * back as the same classes.
 */
export class RemoteStore implements Store {
  private readonly connection: EmbeddedStateConnection;
  private readonly client: Client<typeof EmbeddedStoreService>;

  constructor(options: EmbeddedStateClientOptions) {
    this.connection = connectEmbeddedState(options);
    this.client = createClient(EmbeddedStoreService, this.connection.transport);
  }

  async get(key: Key, options?: GetOptions): Promise<Item | undefined> {
    const response = await callPort(() =>
      this.client.get({ key: encodeValue(key), options: encodeValue(options) }),
    );
    return response.item === undefined ? undefined : decodeValue<Item>(response.item);
  }

  async getMany(keys: readonly Key[], options?: GetOptions): Promise<(Item | undefined)[]> {
    const response = await callPort(() =>
      this.client.getMany({ keys: encodeValue(keys), options: encodeValue(options) }),
    );
    return decodeValue(response.items);
  }

  async put(item: Item, options?: ConditionOptions): Promise<void> {
    await callPort(() => this.client.put({ item: encodeValue(item), options: encodeValue(options) }));
  }

  async update(key: Key, update: Update, options?: ConditionOptions): Promise<Item> {
    const response = await callPort(() =>
      this.client.update({
        key: encodeValue(key),
        update: encodeValue(update),
        options: encodeValue(options),
      }),
    );
    return decodeValue(response.item);
  }

  async delete(key: Key, options?: ConditionOptions): Promise<void> {
    await callPort(() => this.client.delete({ key: encodeValue(key), options: encodeValue(options) }));
  }

  async query(query: Query): Promise<Page> {
    const response = await callPort(() => this.client.query({ query: encodeValue(query) }));
    return decodeValue(response.page);
  }

  async transactWrite(items: readonly TransactItem[]): Promise<void> {
    await callPort(() => this.client.transactWrite({ items: encodeValue(items) }));
  }

  /** Closes this client's connection; the store itself lives on in the state service. */
  close(): void {
    this.connection.close();
  }
}
