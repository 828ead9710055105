import { constants, type Http2Server, type Http2Session } from "node:http2";

/**
 * Closes the session (GOAWAY, so the client reconnects cleanly) after `idleMs` without traffic,
 * unless a stream is open: a quiet price or order stream is not idle.
 */
export function closeWhenIdle(session: Http2Session, idleMs: number): void {
  if (idleMs === 0) return;
  let openStreams = 0;
  session.on("timeout", () => {
    if (openStreams === 0) session.close();
  });
  session.setTimeout(idleMs);
  session.on("stream", (stream) => {
    openStreams += 1;
    stream.once("close", () => {
      openStreams -= 1;
      // The timer may have run out while the stream was open: count the idle time from now.
      if (openStreams === 0 && !session.closed && !session.destroyed) session.setTimeout(idleMs);
    });
  });
}

/**
 * Cancels a call whose request has not fully arrived `timeoutMs` after its headers. A call's deadline
 * starts only once its request is read, and a trickling body keeps the connection from being idle, so
 * without this a client could hold a stream slot and its buffers for as long as it liked. Only calls
 * whose request is one message (unary and server-streaming, `boundedPaths`) are timed: a client- or
 * bidi-streaming request is meant to stay open.
 */
export function limitRequestArrival(
  server: Http2Server,
  boundedPaths: ReadonlySet<string>,
  timeoutMs: number,
): void {
  if (timeoutMs === 0) return;
  server.on("stream", (stream, headers) => {
    if (stream.readableEnded || !boundedPaths.has(String(headers[":path"]).split("?")[0] ?? "")) return;
    const timer = setTimeout(() => {
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    }, timeoutMs);
    const arrived = () => clearTimeout(timer);
    stream.once("end", arrived);
    stream.once("close", arrived);
  });
}
