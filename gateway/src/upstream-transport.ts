import { connect, type Socket } from "node:net";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

/**
 * A gRPC (h2c) transport to an upstream service. Opening the connection fails with `ETIMEDOUT`, which
 * Connect reports as `unavailable`, once `connectTimeoutMs` passes: a host that drops packets must not
 * hold callers until their own deadline.
 */
export function upstreamTransport(
  baseUrl: string,
  connectTimeoutMs: number,
  interceptors: Interceptor[] = [],
): Transport {
  return createGrpcTransport({
    baseUrl,
    interceptors,
    nodeOptions: {
      createConnection: (authority: URL) => connectWithTimeout(authority, connectTimeoutMs),
    },
  });
}

function connectWithTimeout(authority: URL, timeoutMs: number): Socket {
  const host = authority.hostname.replace(/^\[(.*)\]$/, "$1");
  const socket = connect({ host, port: Number(authority.port || 80) });
  socket.setTimeout(timeoutMs, () => {
    const error = Object.assign(
      new Error(`connecting to ${authority.host} timed out after ${timeoutMs} ms`),
      {
        code: "ETIMEDOUT",
      },
    );
    socket.destroy(error);
  });
  socket.once("connect", () => socket.setTimeout(0));
  return socket;
}
