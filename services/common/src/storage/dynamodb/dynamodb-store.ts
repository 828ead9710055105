import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { StoreError } from "../errors.js";
import { type Item, type Key, keyAttributesOf } from "../model.js";
import { normalizeCondition, normalizeItem, normalizeKey, normalizeUpdate } from "../normalize.js";
import { checkQuery, checkTransaction } from "../requests.js";
import type { ConditionOptions, GetOptions, Page, Query, Store, TransactItem } from "../store.js";
import type { Update } from "../update.js";
import { createDocumentClient, createDynamoDbClient, type DynamoDbConnection } from "./client.js";
import { Expressions } from "./expressions.js";
import { toStoreError } from "./map-error.js";
import { deleteInput, putInput, transactWriteItem, updateInput } from "./write-requests.js";

export interface DynamoDbStoreConfig extends DynamoDbConnection {
  readonly tableName: string;
}

/** BatchGetItem's most keys per request. */
const MAX_BATCH_GET_KEYS = 100;

/** How often a batch is sent again for the keys DynamoDB left unprocessed, and how patiently. */
const UNPROCESSED_RETRY = { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same identity for a key however it was spelled, to match returned items with asked keys. */
const keyId = (key: Key): string => JSON.stringify([key.PK, key.SK]);

const conditionOf = (options: ConditionOptions) => options.condition && normalizeCondition(options.condition);

/** The storage port on DynamoDB through lib-dynamodb. Reads of the table (not of indexes) are consistent. */
export class DynamoDbStore implements Store {
  private readonly client: DynamoDBClient;
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(config: DynamoDbStoreConfig) {
    this.client = createDynamoDbClient(config);
    this.documents = createDocumentClient(this.client);
    this.tableName = config.tableName;
  }

  async get(key: Key, options: GetOptions = {}): Promise<Item | undefined> {
    const command = new GetCommand({
      TableName: this.tableName,
      Key: normalizeKey(key),
      ConsistentRead: options.consistent ?? true,
    });
    const output = await this.send(() => this.documents.send(command));
    return output.Item as Item | undefined;
  }

  async getMany(keys: readonly Key[], options: GetOptions = {}): Promise<(Item | undefined)[]> {
    const checked = keys.map(normalizeKey);
    // BatchGetItem refuses a request naming one key twice, so each distinct key is asked once.
    const distinct = [...new Map(checked.map((key) => [keyId(key), key])).values()];
    const chunks: Key[][] = [];
    for (let start = 0; start < distinct.length; start += MAX_BATCH_GET_KEYS) {
      chunks.push(distinct.slice(start, start + MAX_BATCH_GET_KEYS));
    }
    const consistent = options.consistent ?? true;
    const found = new Map<string, Item>();
    const pages = await Promise.all(chunks.map((chunk) => this.batchGet(chunk, consistent)));
    for (const item of pages.flat()) found.set(keyId(item as Key), item);
    const handedOut = new Set<string>();
    return checked.map((key) => {
      const id = keyId(key);
      const item = found.get(id);
      if (item === undefined || !handedOut.has(id)) {
        handedOut.add(id);
        return item;
      }
      // A key named twice gets a copy the second time: each entry is the caller's own.
      return structuredClone(item);
    });
  }

  async put(item: Item, options: ConditionOptions = {}): Promise<void> {
    const input = putInput(this.tableName, normalizeItem(item), conditionOf(options));
    await this.send(() => this.documents.send(new PutCommand(input)));
  }

  async update(key: Key, update: Update, options: ConditionOptions = {}): Promise<Item> {
    const input = updateInput(
      this.tableName,
      normalizeKey(key),
      normalizeUpdate(update),
      conditionOf(options),
    );
    const output = await this.send(() =>
      this.documents.send(new UpdateCommand({ ...input, ReturnValues: "ALL_NEW" })),
    );
    return output.Attributes as Item;
  }

  async delete(key: Key, options: ConditionOptions = {}): Promise<void> {
    const input = deleteInput(this.tableName, normalizeKey(key), conditionOf(options));
    await this.send(() => this.documents.send(new DeleteCommand(input)));
  }

  async query(query: Query): Promise<Page> {
    checkQuery(query);
    const attributes = keyAttributesOf(query.index);
    const expressions = new Expressions();
    const command = new QueryCommand({
      TableName: this.tableName,
      IndexName: query.index,
      KeyConditionExpression: expressions.keyCondition(query.index, query.partition, query.sort),
      ...expressions.attributes(),
      Limit: query.limit,
      ExclusiveStartKey: query.cursor === undefined ? undefined : decodeCursor(query.cursor, attributes),
      ScanIndexForward: query.forward ?? true,
      ConsistentRead: query.index === undefined,
    });
    const output = await this.send(() => this.documents.send(command));
    const items = (output.Items ?? []) as Item[];
    const last = output.LastEvaluatedKey as Record<string, string> | undefined;
    return last ? { items, cursor: encodeCursor(last) } : { items };
  }

  async transactWrite(items: readonly TransactItem[]): Promise<void> {
    const requests = checkTransaction(items).map((write) => transactWriteItem(this.tableName, write));
    await this.send(() => this.documents.send(new TransactWriteCommand({ TransactItems: requests })));
  }

  /**
   * One BatchGetItem of at most 100 keys, sent again for the keys DynamoDB leaves unprocessed (when a
   * response would exceed 16 MB or the table is throttled) after an exponential backoff with jitter.
   */
  private async batchGet(keys: Key[], consistent: boolean): Promise<Item[]> {
    const items: Item[] = [];
    let pending: Record<string, unknown>[] = keys;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRY.maxAttempts) {
        throw new StoreError(`${pending.length} keys were left unprocessed by every batch read`);
      }
      if (attempt > 1) {
        const ceiling = Math.min(UNPROCESSED_RETRY.maxDelayMs, UNPROCESSED_RETRY.baseDelayMs * 2 ** attempt);
        await sleep(Math.random() * ceiling);
      }
      const command = new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: consistent } },
      });
      const output = await this.send(() => this.documents.send(command));
      items.push(...((output.Responses?.[this.tableName] ?? []) as Item[]));
      pending = output.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  /** Releases the client's connections. */
  close(): void {
    this.client.destroy();
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
