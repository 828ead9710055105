import { randomUUID } from "node:crypto";
import type { Store } from "../store.js";

/** Gives the store under test; the contract calls it inside each test. */
export type MakeStore = () => Store;

/** A partition key no other test uses, so that tests can share one table. */
export function uniquePartition(kind: string): string {
  return `${kind}#${randomUUID()}`;
}

/** The error a promise rejects with (failing the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the operation to be rejected");
}
