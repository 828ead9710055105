import { ConditionFailedError, cond, type Item, type Key, type Store } from "@bourse/common/storage";
import { Code, ConnectError } from "@connectrpc/connect";

const ATTEMPTS = 3;

/**
 * Read-modify-write of one item, guarded by its `revision` attribute so that concurrent edits never overwrite
 * each other. `change` returns the new item, or undefined to leave it alone; a conflict re-reads and retries.
 * Returns the item as stored afterwards, or undefined when it does not exist.
 */
export async function updateWithRevision(
  store: Store,
  key: Key,
  change: (item: Item) => Item | undefined,
): Promise<Item | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await store.get(key);
    if (current === undefined) return undefined;
    const next = change(current);
    if (next === undefined) return current;
    const revision = Number(current.revision);
    const item = { ...next, revision: revision + 1 };
    try {
      await store.put(item, { condition: cond.eq("revision", revision) });
      return item;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  throw new ConnectError("the item is being edited concurrently; try again", Code.Aborted);
}
