import { randomBytes } from "node:crypto";
import { type Algorithm, hash, type Options, verify } from "@node-rs/argon2";

/** `Algorithm.Argon2id`: a const enum, which `verbatimModuleSyntax` cannot import as a value. */
const ARGON2ID: Algorithm.Argon2id = 2;

/**
 * argon2id with OWASP's first recommended setting (Password Storage Cheat Sheet): 19 MiB of memory,
 * 2 passes, 1 lane, a 16-byte salt and a 32-byte tag. `npm run bench:users` measures what one
 * login costs with it.
 */
export const argon2Parameters = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const satisfies Options;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed hash alike. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export function createArgon2Hasher(options: Options = argon2Parameters): PasswordHasher {
  return {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password, options);
      } catch {
        return false;
      }
    },
  };
}

/**
 * A hash of a random password, made with the same parameters as real ones. Login verifies against it
 * when the email is unknown, so an unknown email costs what a wrong password costs.
 */
export function dummyPasswordHash(hasher: PasswordHasher): Promise<string> {
  return hasher.hash(randomBytes(32).toString("base64url"));
}
