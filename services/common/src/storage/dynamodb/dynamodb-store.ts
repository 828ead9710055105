import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { decodeCursor, encodeCursor } from "../cursor.js";
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
