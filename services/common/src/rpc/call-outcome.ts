import type { StreamResponse, UnaryResponse } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";

type AnyResponse = UnaryResponse | StreamResponse;

/** The Connect code of a finished call as its lowercase wire name, `ok` for success. */
export function outcomeCode(error: ConnectError | undefined): string {
  return error ? codeToString(error.code) : "ok";
}

/**
 * Awaits `call` and reports exactly once when the RPC is over: at once for unary calls, and
 * for streams when the last response message has been read, the stream failed, or the
 * consumer stopped early (reported as `canceled`).
 */
export async function observeOutcome<R extends AnyResponse>(
  call: () => Promise<R>,
  onDone: (error: ConnectError | undefined) => void,
): Promise<R> {
  let response: R;
  try {
    response = await call();
  } catch (error) {
    onDone(ConnectError.from(error));
    throw error;
  }
  if (!response.stream) {
    onDone(undefined);
    return response;
  }
  return { ...response, message: observeStream(response.message, onDone) };
}

async function* observeStream<T>(
  messages: AsyncIterable<T>,
  onDone: (error: ConnectError | undefined) => void,
): AsyncGenerator<T> {
  let settled = false;
  try {
    yield* messages;
    settled = true;
    onDone(undefined);
  } catch (error) {
    settled = true;
    onDone(ConnectError.from(error));
    throw error;
  } finally {
    if (!settled) onDone(new ConnectError("stream abandoned by its consumer", Code.Canceled));
  }
}
