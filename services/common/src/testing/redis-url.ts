import { inject } from "vitest";

/** The test redis-server's URL, or null outside CI when none could start (suites then skip). */
export function testRedisUrl(): string | null {
  return inject("redisUrl");
}
