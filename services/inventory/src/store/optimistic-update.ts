import { cond, type Item, type Key, retryOnConflict, type Store } from "@bourse/common/storage";
import { Code, ConnectError } from "@connectrpc/connect";

/** Edits of one catalogue item are rare: a few quick tries, then the caller is told to try again. */
const RETRY = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

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
  const attempt = async (): Promise<Item | undefined> => {
    const current = await store.get(key);
    if (current === undefined) return undefined;
    const next = change(current);
    if (next === undefined) return current;
    const revision = Number(current.revision);
    const item = { ...next, revision: revision + 1 };
    await store.put(item, { condition: cond.eq("revision", revision) });
    return item;
  };
  return retryOnConflict(
    attempt,
    RETRY,
    () => new ConnectError("the item is being edited concurrently; try again", Code.Aborted),
  );
}
