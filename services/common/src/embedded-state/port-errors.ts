import { type PortError, PortErrorSchema } from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { LockError, LockLostError, LockUnavailableError } from "../locks/errors.js";
import {
  type CancellationReason,
  ConditionFailedError,
  InvalidCursorError,
  StoreError,
  type StoreLimit,
  StoreLimitError,
  StoreValidationError,
  TransactionCanceledError,
} from "../storage/errors.js";

/**
 * The errors a port throws as part of its contract, rebuilt on the client as the same classes so that a
 * caller cannot tell a remote adapter from the one in its own process. Anything else is a fault of the
 * state service and reaches the client as Connect's `internal`.
 */
const rebuilders: Readonly<Record<string, (detail: PortError) => Error>> = {
  ConditionFailedError: () => new ConditionFailedError(),
  TransactionCanceledError: (detail) => new TransactionCanceledError(detail.reasons as CancellationReason[]),
  StoreLimitError: (detail) => new StoreLimitError(detail.limit as StoreLimit, detail.message),
  InvalidCursorError: (detail) => new InvalidCursorError(detail.message),
  StoreValidationError: (detail) => new StoreValidationError(detail.message),
  StoreError: (detail) => new StoreError(detail.message),
  LockLostError: (detail) => new LockLostError(detail.resource),
  LockUnavailableError: (detail) => new LockUnavailableError(detail.resource),
  // The lock port's argument checks (a bad ttl or minToken).
  RangeError: (detail) => new RangeError(detail.message),
};

function codeOf(error: Error): Code {
  if (error instanceof StoreValidationError || error instanceof RangeError) return Code.InvalidArgument;
  if (error instanceof TransactionCanceledError) return Code.Aborted;
  return Code.FailedPrecondition;
}

/** Server side: the port's error as a ConnectError carrying a PortError detail; other errors unchanged. */
export function toPortConnectError(error: unknown): unknown {
  const isPortError =
    error instanceof StoreError || error instanceof LockError || error instanceof RangeError;
  if (!isPortError || !(error.name in rebuilders)) return error;
  const detail = create(PortErrorSchema, {
    name: error.name,
    message: error.message,
    reasons: error instanceof TransactionCanceledError ? [...error.reasons] : [],
    limit: error instanceof StoreLimitError ? error.limit : "",
    resource: error instanceof LockError ? error.resource : "",
  });
  return new ConnectError(error.message, codeOf(error), undefined, [
    { desc: PortErrorSchema, value: detail },
  ]);
}

/** Client side: the port's error a ConnectError carries, rebuilt; other errors unchanged. */
export function fromPortConnectError(error: unknown): unknown {
  if (!(error instanceof ConnectError)) return error;
  const [detail] = error.findDetails(PortErrorSchema);
  const rebuild = detail === undefined ? undefined : rebuilders[detail.name];
  return rebuild === undefined || detail === undefined ? error : rebuild(detail);
}

/** Runs a client call, rethrowing a port's error as the port threw it. */
export async function callPort<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromPortConnectError(error);
  }
}
