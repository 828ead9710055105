import { once } from "node:events";
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
} from "node:http2";
import { createGzip } from "node:zlib";
import {
  InventoryService,
  StreamPricesResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { GetMeResponseSchema, UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServiceClient } from "../rpc/client.js";
import { type RunningService, type ServiceDefinition, startService } from "./start-service.js";

const testEnv = { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };
const running: RunningService[] = [];
const sessions: ClientHttp2Session[] = [];
const MiB = 1024 * 1024;

async function start(definition: ServiceDefinition, env: Record<string, string> = {}) {
  const service = await startService(definition, { env: { ...testEnv, ...env } });
  running.push(service);
  return service;
}

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

/** A GetMe that counts its calls and, while `hold` is set, waits until the call is canceled. */
function getMeService(options: { hold?: boolean; fail?: () => never } = {}) {
  const calls = { count: 0 };
  const definition: ServiceDefinition = {
    name: "sample",
    setup: () => ({
      register(router) {
        router.service(UserService, {
          async getMe(_request, context) {
            calls.count += 1;
            options.fail?.();
            if (options.hold) await once(context.signal, "abort");
            return create(GetMeResponseSchema);
          },
        });
      },
    }),
  };
  return { calls, definition };
}

/** A StreamPrices that sends one empty message and then stays open until the client goes. */
const priceStreams: ServiceDefinition = {
  name: "streams",
  setup: () => ({
    register(router) {
      router.service(InventoryService, {
        async *streamPrices(_request, context) {
          yield create(StreamPricesResponseSchema);
          await once(context.signal, "abort");
        },
      });
    },
  }),
};

function session(url: string, options: { peerMaxConcurrentStreams?: number } = {}): ClientHttp2Session {
  const opened = connect(url, options);
  opened.on("error", () => {});
  sessions.push(opened);
  return opened;
}

/** A raw StreamPrices call: its one (empty) request sent in full, and its first message received. */
async function openQuietPriceStream(client: ClientHttp2Session): Promise<ClientHttp2Stream> {
  const stream = client.request({
    ":method": "POST",
    ":path": "/bourse.inventory.v1.InventoryService/StreamPrices",
    "content-type": "application/connect+proto",
    "connect-protocol-version": "1",
  });
  stream.on("error", () => {});
  stream.end(Buffer.from([0, 0, 0, 0, 0])); // one enveloped empty request
  await once(stream, "data");
  return stream;
}

interface RawAnswer {
  readonly status?: number;
  readonly body: string;
  readonly rstCode?: number;
}

/** One Connect unary request written by hand, so that its body can be anything. */
async function rawConnectCall(
  client: ClientHttp2Session,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const stream = client.request({
    ":method": "POST",
    ":path": "/bourse.users.v1.UserService/GetMe",
    "content-type": "application/proto",
    "connect-protocol-version": "1",
    ...headers,
  });
  const closed = new Promise((resolve) => stream.on("close", resolve));
  stream.on("error", () => {});
  stream.end(body);
  let response: IncomingHttpHeaders = {};
  stream.on("response", (received) => {
    response = received;
  });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await closed;
  return {
    status: Number(response[":status"]),
    body: Buffer.concat(chunks).toString(),
    rstCode: stream.rstCode || undefined,
  };
}

/** gzip of `bytes` zero bytes, made a MiB at a time so the test never holds the inflated size. */
async function gzipOfZeros(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(MiB);
  for (let written = 0; written < bytes; written += MiB) {
    if (!gzip.write(zeros)) await once(gzip, "drain");
  }
  gzip.end();
  await once(gzip, "end");
  return Buffer.concat(chunks);
}

describe("request limits", () => {
  it("stops inflating a gzip bomb at MAX_MESSAGE_BYTES and answers resource_exhausted", async () => {
    const { calls, definition } = getMeService();
    const service = await start(definition);
    const bomb = await gzipOfZeros(128 * MiB);
    expect(bomb.length).toBeLessThan(MiB);
    const answer = await rawConnectCall(session(service.rpcUrl), bomb, { "content-encoding": "gzip" });
    const error = JSON.parse(answer.body);
    expect(error.code).toBe("resource_exhausted");
    // zlib raises this as soon as its output passes maxOutputLength (ERR_BUFFER_TOO_LARGE), mid-stream.
    expect(error.message).toBe(`message is larger than configured readMaxBytes ${MiB} after decompression`);
    expect(calls.count).toBe(0);
  });

  it("refuses a plain message over MAX_MESSAGE_BYTES, and takes one under it", async () => {
    const { calls, definition } = getMeService();
    const service = await start(definition, { MAX_MESSAGE_BYTES: String(64 * 1024) });
    const client = session(service.rpcUrl);
    const oversize = await rawConnectCall(client, Buffer.alloc(64 * 1024 + 1));
    expect(JSON.parse(oversize.body).code).toBe("resource_exhausted");
    expect(calls.count).toBe(0);
    // An empty GetMeRequest: the limit is on size, nothing else.
    expect((await rawConnectCall(client, Buffer.alloc(0))).status).toBe(200);
  });

  it("resets a stream whose headers exceed MAX_HEADER_LIST_BYTES", async () => {
    const { calls, definition } = getMeService();
    const service = await start(definition, { MAX_HEADER_LIST_BYTES: "8192" });
    const client = session(service.rpcUrl);
    // The limit binds once the client has acknowledged the server's SETTINGS, which it does on receipt.
    await once(client, "remoteSettings");
    const answer = await rawConnectCall(client, Buffer.alloc(0), { "x-filler": "a".repeat(9000) });
    expect(answer.rstCode).toBe(11); // ENHANCE_YOUR_CALM
    expect(calls.count).toBe(0);
  });

  it("refuses streams over MAX_CONCURRENT_STREAMS_PER_CONNECTION on one connection", async () => {
    const { calls, definition } = getMeService({ hold: true });
    const service = await start(definition, { MAX_CONCURRENT_STREAMS_PER_CONNECTION: "3" });
    // Written before the server's SETTINGS arrive, so the client does not hold the extra ones back.
    const client = session(service.rpcUrl, { peerMaxConcurrentStreams: 1000 });
    const answers = Array.from({ length: 5 }, () => rawConnectCall(client, Buffer.alloc(0)));
    await vi.waitFor(() => expect(calls.count).toBe(3), { timeout: 10_000 });
    expect(client.remoteSettings.maxConcurrentStreams).toBe(3);
    const refused = await Promise.all(answers.slice(3));
    expect(refused.map((answer) => answer.rstCode)).toEqual([7, 7]); // REFUSED_STREAM
    client.destroy();
    await Promise.allSettled(answers);
  });

  it("refuses the stream over MAX_OPEN_STREAMS with resource_exhausted and frees a slot when one ends", async () => {
    const service = await start(priceStreams, { MAX_OPEN_STREAMS: "2" });
    const client = createServiceClient(InventoryService, { baseUrl: service.rpcUrl, caller: "test" });
    const open = async () => {
      const cancel = new AbortController();
      const messages = client.streamPrices({}, { signal: cancel.signal })[Symbol.asyncIterator]();
      await messages.next();
      return cancel;
    };
    const first = await open();
    await open();
    const refused = await open().catch((error) => ConnectError.from(error));
    expect(refused).toMatchObject({ code: Code.ResourceExhausted });
    first.abort();
    await vi.waitFor(open, { timeout: 10_000, interval: 20 });
  });

  it("cuts a unary deadline longer than MAX_DEADLINE_MS", async () => {
    const { definition } = getMeService({ hold: true });
    const service = await start(definition, { MAX_DEADLINE_MS: "100" });
    const client = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test" });
    await expect(client.getMe({}, { timeoutMs: 24 * 60 * 60 * 1000 })).rejects.toMatchObject({
      code: Code.DeadlineExceeded,
    });
  });

  it("cancels a unary call whose body is still trickling in after REQUEST_ARRIVAL_TIMEOUT_MS", async () => {
    const { calls, definition } = getMeService();
    const service = await start(definition, { REQUEST_ARRIVAL_TIMEOUT_MS: "200" });
    const stream = session(service.rpcUrl).request({
      ":method": "POST",
      ":path": "/bourse.users.v1.UserService/GetMe",
      "content-type": "application/proto",
      "connect-protocol-version": "1",
    });
    stream.on("error", () => {});
    stream.write(Buffer.from([0x0a]));
    await once(stream, "close");
    expect(stream.rstCode).toBe(constants.NGHTTP2_CANCEL);
    expect(calls.count).toBe(0);
  });

  it("leaves a server stream open past REQUEST_ARRIVAL_TIMEOUT_MS once its request has arrived", async () => {
    const service = await start(priceStreams, { REQUEST_ARRIVAL_TIMEOUT_MS: "100" });
    const stream = await openQuietPriceStream(session(service.rpcUrl));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(stream.closed).toBe(false);
    stream.close();
  });

  it("closes a connection left idle for IDLE_TIMEOUT_MS", async () => {
    const { definition } = getMeService();
    const service = await start(definition, { IDLE_TIMEOUT_MS: "100" });
    const client = session(service.rpcUrl);
    expect((await rawConnectCall(client, Buffer.alloc(0))).status).toBe(200);
    await once(client, "goaway");
  });

  it("keeps a connection whose only stream is quiet past IDLE_TIMEOUT_MS, and closes it once the stream ends", async () => {
    const service = await start(priceStreams, { IDLE_TIMEOUT_MS: "100" });
    const client = session(service.rpcUrl);
    let closedEarly = false;
    client.once("goaway", () => {
      closedEarly = true;
    });
    const stream = await openQuietPriceStream(client);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(closedEarly).toBe(false);
    client.removeAllListeners("goaway");
    const closed = once(client, "goaway");
    stream.close();
    await closed;
  });
});
