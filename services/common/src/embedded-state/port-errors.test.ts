import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { LockLostError, LockUnavailableError } from "../locks/errors.js";
import {
  ConditionFailedError,
  InvalidCursorError,
  StoreError,
  StoreLimitError,
  StoreValidationError,
  TransactionCanceledError,
} from "../storage/errors.js";
import { fromPortConnectError, toPortConnectError } from "./port-errors.js";

/** What crosses the wire: the ConnectError as the client reads it back, its details encoded. */
function acrossTheWire(error: Error): unknown {
  const sent = toPortConnectError(error);
  if (!(sent instanceof ConnectError)) return sent;
  const encoded = sent.details.map((detail) =>
    "desc" in detail
      ? { type: detail.desc.typeName, value: toBinary(detail.desc, create(detail.desc, detail.value)) }
      : detail,
  );
  const received = new ConnectError(sent.rawMessage, sent.code, sent.metadata);
  received.details.push(...encoded);
  return fromPortConnectError(received);
}

describe("port errors", () => {
  const errors: Error[] = [
    new ConditionFailedError(),
    new TransactionCanceledError(["None", "ConditionalCheckFailed", "TransactionConflict"]),
    new StoreValidationError("a key attribute is missing"),
    new StoreLimitError("itemSize", "item is over 400 KB"),
    new InvalidCursorError("the cursor belongs to another query"),
    new StoreError("the store is closed"),
    new LockLostError("market-BTC-USD"),
    new LockUnavailableError("market-ETH-USD"),
    new RangeError("ttlMs must be a positive integer, got 0"),
  ];

  it.each(errors.map((error) => [error.name, error]))(
    "rebuilds %s as the same class, message and fields",
    (_, error) => {
      const rebuilt = acrossTheWire(error);
      expect(rebuilt).toBeInstanceOf(error.constructor);
      expect(Object.getPrototypeOf(rebuilt)).toBe(Object.getPrototypeOf(error));
      expect((rebuilt as Error).message).toBe(error.message);
      expect({ ...(rebuilt as object) }).toEqual({ ...error });
    },
  );

  it("leaves other errors to the error mapping, and a client error without a port detail as it is", () => {
    const fault = new TypeError("cannot read properties of undefined");
    expect(toPortConnectError(fault)).toBe(fault);
    const unavailable = new ConnectError("connection refused", Code.Unavailable);
    expect(fromPortConnectError(unavailable)).toBe(unavailable);
  });
});
