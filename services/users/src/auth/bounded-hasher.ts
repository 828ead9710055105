import { availableParallelism } from "node:os";
import { Code, ConnectError } from "@connectrpc/connect";
import type { PasswordHasher } from "./password-hasher.js";

export interface HashingLimits {
  /** Hashes computed at once. */
  readonly concurrency: number;
  /** Hashes waiting for a slot; one more is refused. */
  readonly queue: number;
}

/**
 * One hash per core, but at most half of libuv's thread pool: argon2 runs there, and so do
 * `dns.lookup`, `fs` and zlib, which the AWS SDK, ioredis and fetch need to stay responsive.
 */
export function defaultHashingConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const threadPool = Number(env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism(), Math.floor(threadPool / 2)));
}

/**
 * Runs at most `concurrency` hashes at once and queues at most `queue` more. Past that a sign-in
 * is refused at once with `resource_exhausted` and a `retry-after` hint, instead of piling work on
 * the thread pool that every other request needs.
 */
export function boundedHasher(
  hasher: PasswordHasher,
  limits: HashingLimits,
  onRefused: () => void = () => {},
): PasswordHasher {
  let running = 0;
  const waiting: Array<() => void> = [];

  async function run<T>(work: () => Promise<T>): Promise<T> {
    if (running < limits.concurrency) {
      running += 1;
    } else if (waiting.length < limits.queue) {
      // The finishing hash hands its slot straight to us, so `running` stays as it is.
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      onRefused();
      throw new ConnectError("too many sign-ins at once; retry in a moment", Code.ResourceExhausted, {
        "retry-after": "1",
      });
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  }

  return {
    hash: (password) => run(() => hasher.hash(password)),
    verify: (passwordHash, password) => run(() => hasher.verify(passwordHash, password)),
  };
}
