import http2 from "node:http2";
import {
  create,
  type DescMessage,
  type DescMethodServerStreaming,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";

/** A server stream opened over gRPC whose responses the client never reads. */
export interface NeverReadingStream {
  /** Response bytes the server got through before flow control stopped it, sitting unread here. */
  unreadBytes(): number;
  close(): void;
}

/**
 * The smallest HTTP/2 stream window a client may announce with data still flowing at all: the server can
 * send this much, and once Node's unread buffer is full no WINDOW_UPDATE ever lets it send more.
 */
const TINY_WINDOW_BYTES = 1024;

/**
 * Calls a server-streaming method as a gRPC client that then never reads: its own HTTP/2 connection
 * announces a tiny stream window and the response is never consumed, so whatever the server writes
 * beyond a few kilobytes stays on the server. This is the slowest reader there is; a server that
 * buffered for it without bound would grow with every message it meant to send.
 * Resolves once the server answered with its response headers (the stream is open).
 */
export async function openNeverReadingStream<I extends DescMessage, O extends DescMessage>(
  baseUrl: string,
  method: DescMethodServerStreaming<I, O>,
  request: MessageInitShape<I>,
): Promise<NeverReadingStream> {
  const session = http2.connect(baseUrl, { settings: { initialWindowSize: TINY_WINDOW_BYTES } });
  session.on("error", () => {});
  const payload = toBinary(method.input, create(method.input, request));
  const frame = Buffer.alloc(5 + payload.length);
  frame.writeUInt32BE(payload.length, 1);
  frame.set(payload, 5);
  const stream = session.request({
    ":method": "POST",
    ":path": `/${method.parent.typeName}/${method.name}`,
    "content-type": "application/grpc+proto",
    te: "trailers",
  });
  stream.on("error", () => {});
  stream.end(frame);
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once("response", (headers) => {
        const status = headers[":status"];
        const grpcStatus = headers["grpc-status"];
        if (status === 200 && (grpcStatus === undefined || grpcStatus === "0")) resolve();
        else reject(new Error(`${method.name} answered HTTP ${status}, grpc-status ${grpcStatus}`));
      });
      stream.once("close", () => reject(new Error(`${method.name} closed before answering`)));
    });
  } catch (error) {
    session.destroy();
    throw error;
  }
  return {
    unreadBytes: () => stream.readableLength,
    close: () => session.destroy(),
  };
}
