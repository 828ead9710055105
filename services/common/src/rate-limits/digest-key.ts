import { createHash } from "node:crypto";

/** A counter key for a personal value (an email): Redis sees a digest, never the value. */
export const digestKey = (value: string) =>
  createHash("sha256").update(value).digest("base64url").slice(0, 22);
