import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const LOCK_FILE = "LOCK";

/** The dirs this process holds: a lock with its own pid it does not hold is from an earlier life (pid 1 in a container). */
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function holderOf(path: string): number {
  try {
    return Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Number.NaN;
    throw error;
  }
}

/**
 * Claims a data dir for this process with a `LOCK` file holding its pid, because two stores appending to
 * one journal would corrupt it. A lock left by a process that is gone (killed) is taken over. Returns the
 * release.
 */
export function lockDataDir(dir: string): () => void {
  const path = resolve(dir, LOCK_FILE);
  if (heldHere.has(path)) throw new Error(`the data dir ${dir} is already open in this process`);
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = holderOf(path);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new Error(
        `the data dir ${dir} is in use by process ${holder} (if it is not Bourse's, delete ${path})`,
      );
    }
    removeIfPresent(path);
  }
  heldHere.add(path);
  let held = true;
  return () => {
    // Once only: a second call could remove the lock of whoever has claimed the dir since.
    if (!held) return;
    held = false;
    heldHere.delete(path);
    removeIfPresent(path);
  };
}
