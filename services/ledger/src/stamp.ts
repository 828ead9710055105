import { createUlidFactory } from "@bourse/common/identifiers";

/**
 * Time and ids for the entries of one transaction. Entry ids are ULIDs, so one account's entries sort
 * by creation time, and entries made in one process sort in the order they were made.
 */
export interface LedgerStamp {
  readonly at: Date;
  nextId(): string;
}

export type StampFactory = () => LedgerStamp;

export function createStampFactory(now: () => Date = () => new Date()): StampFactory {
  const newUlid = createUlidFactory();
  return () => {
    const at = now();
    return { at, nextId: () => newUlid(at.getTime()) };
  };
}
