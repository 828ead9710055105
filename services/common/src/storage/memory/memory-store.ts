import { ConditionFailedError, TransactionCanceledError } from "../errors.js";
import type { Item, Key } from "../model.js";
import { normalizeKey } from "../normalize.js";
import { type CheckedItem, checkItem, checkQuery, checkTransaction, sortOperands } from "../requests.js";
import type { ConditionOptions, GetOptions, Page, Query, Store, TransactItem } from "../store.js";
import type { Update } from "../update.js";
import { cloneItem } from "./clone-item.js";
import { type Decision, decideWrite } from "./decide-write.js";
import {
  checkRequestLimits,
  checkSortOperandSize,
  checkTransactionSize,
  tableKeySizeError,
} from "./item-limits.js";
import type { OpenStoreJournal, StoreJournal } from "./journal-file.js";
import type { JournalRecord } from "./journal-format.js";
import { runQuery } from "./run-query.js";
import { Table } from "./table.js";

const copy = (item: Item | undefined): Item | undefined => item && cloneItem(item);

export interface MemoryStoreOptions {
  /** What the store starts with (a loaded snapshot), not journaled again. */
  readonly items?: Iterable<Item>;
  /** Makes the journal that receives every write before it is applied (see `openPersistentMemoryStore`). */
  readonly journal?: OpenStoreJournal;
}

function recordOf(decisions: readonly Decision[]): JournalRecord {
  const record: Array<JournalRecord[number]> = [];
  for (const decision of decisions) {
    if (decision.kind === "write") record.push([decision.key.PK, decision.key.SK, decision.item]);
  }
  return record;
}

/**
 * The embedded engine: the storage port in memory with DynamoDB's semantics (conditions, atomic
 * counters, sparse indexes, pagination, all-or-nothing transactions, size limits and the same errors).
 * Every operation runs synchronously to completion, so writes are atomic and reads always consistent, and
 * a journal, when given, records them in the order they are applied.
 */
export class MemoryStore implements Store {
  private readonly table = new Table();
  private readonly journal: StoreJournal | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    for (const item of options.items ?? []) this.table.write(item, item);
    this.journal = options.journal?.(() => [...this.table.storedItems()]);
  }

  /** Closes the journal, if any; without one there is nothing to release. */
  close(): void {
    this.journal?.close();
  }

  async get(key: Key, _options?: GetOptions): Promise<Item | undefined> {
    const checked = normalizeKey(key);
    const keyError = tableKeySizeError(checked);
    if (keyError) throw keyError;
    return copy(this.table.get(checked));
  }

  async getMany(keys: readonly Key[], _options?: GetOptions): Promise<(Item | undefined)[]> {
    const checked = keys.map(normalizeKey);
    const keyError = checked.map(tableKeySizeError).find((error) => error !== undefined);
    if (keyError) throw keyError;
    return checked.map((key) => copy(this.table.get(key)));
  }

  async put(item: Item, options: ConditionOptions = {}): Promise<void> {
    this.writeOne(checkItem({ kind: "put", item, condition: options.condition }));
  }

  async update(key: Key, update: Update, options: ConditionOptions = {}): Promise<Item> {
    const decision = this.writeOne(checkItem({ kind: "update", key, update, condition: options.condition }));
    const item = decision.kind === "write" ? copy(decision.item) : undefined;
    if (!item) throw new Error("an accepted update always leaves an item");
    return item;
  }

  async delete(key: Key, options: ConditionOptions = {}): Promise<void> {
    this.writeOne(checkItem({ kind: "delete", key, condition: options.condition }));
  }

  async query(query: Query): Promise<Page> {
    checkQuery(query);
    if (query.sort) checkSortOperandSize(sortOperands(query.sort));
    return runQuery(this.table, query);
  }

  async transactWrite(items: readonly TransactItem[]): Promise<void> {
    const writes = checkTransaction(items);
    let size = 0;
    for (const write of writes) size += checkRequestLimits(write);
    checkTransactionSize(size);
    const decisions = writes.map((write) => this.decide(write));
    const reasons = decisions.map((decision) => {
      if (decision.kind === "refuse") return "ConditionalCheckFailed";
      return decision.kind === "invalid" ? "ValidationError" : "None";
    });
    if (reasons.some((reason) => reason !== "None")) throw new TransactionCanceledError(reasons);
    if (this.journal) {
      const record = recordOf(decisions);
      if (record.length > 0) this.journal.append(record);
    }
    for (const decision of decisions) this.apply(decision);
  }

  private writeOne(write: CheckedItem): Decision {
    checkRequestLimits(write);
    const decision = this.decide(write);
    if (decision.kind === "refuse") throw new ConditionFailedError();
    if (decision.kind === "invalid") throw decision.error;
    if (this.journal) this.journal.append(recordOf([decision]));
    this.apply(decision);
    return decision;
  }

  private decide(write: CheckedItem): Decision {
    const key = write.kind === "put" ? write.item : write.key;
    return decideWrite(write, this.table.get(key));
  }

  private apply(decision: Decision): void {
    if (decision.kind === "write") this.table.write(decision.key, decision.item);
  }
}
