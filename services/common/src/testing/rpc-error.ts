import { ConnectError } from "@connectrpc/connect";

/** The error a call fails with, as a ConnectError; throws when the call succeeds. */
export async function rpcError(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}
