/**
 * `npm run bench:limits`: what the request limits buy, measured on a users service in a child process.
 *
 * (a) A gzip bomb (a Login whose password inflates to 300 MiB) and an oversize plain Login (64 MiB), with
 *     MAX_MESSAGE_BYTES at its default (1 MiB) and at Connect's old default (4 GiB): the server's CPU time
 *     and peak RSS growth.
 * (b) 200 concurrent wrong-password logins, with hashing unbounded (PASSWORD_HASH_CONCURRENCY=0, the old
 *     behaviour) and bounded (the default): the server's event-loop delay and the latency of `dns.lookup`
 *     and `fs.stat`, which share libuv's thread pool with argon2. The login throttle is set out of the
 *     way there, then shown with its defaults.
 *
 * Figures only, no thresholds: they vary with the machine and its load.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { connect } from "node:http2";
import { performance } from "node:perf_hooks";
import { createGzip } from "node:zlib";
import { createServiceClient } from "@bourse/common";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { ConnectError } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { Distribution, FromServer, Measurement, ToServer } from "./server.js";

const MiB = 1024 * 1024;
const BOMB_BYTES = 300 * MiB;
const OVERSIZE_BYTES = 64 * MiB;
const FLOOD = 200;
const CONNECTIONS = 4;

const baseEnv = {
  BIND_HOST: "127.0.0.1",
  RPC_PORT: "0",
  ADMIN_PORT: "0",
  LOG_LEVEL: "silent",
  SERVICE_CREDENTIAL: randomBytes(32).toString("base64url"),
};

interface Server {
  readonly rpcUrl: string;
  measure<T>(work: () => Promise<T>): Promise<{ result: T; measurement: Measurement }>;
  stop(): Promise<void>;
}

function next(child: ChildProcess, kind: FromServer["kind"]): Promise<FromServer> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromServer) => {
      if (message.kind !== kind) return;
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = fork(new URL("./server.ts", import.meta.url), {
    env: { ...process.env, ...baseEnv, ...env },
    execArgv: ["--import", "tsx"],
  });
  const ready = await next(child, "ready");
  if (ready.kind !== "ready") throw new Error("unexpected message");
  const tell = (message: ToServer) => child.send(message);
  return {
    rpcUrl: ready.rpcUrl,
    async measure(work) {
      tell({ kind: "begin" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const result = await work();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const measured = next(child, "measured");
      tell({ kind: "end" });
      const message = await measured;
      if (message.kind !== "measured") throw new Error("unexpected message");
      return { result, measurement: message.measurement };
    },
    async stop() {
      const exited = once(child, "exit");
      tell({ kind: "stop" });
      await exited;
    },
  };
}

/** A LoginRequest (email = 1, password = 2) whose password is `passwordBytes` letters, as chunks. */
function* loginRequestChunks(passwordBytes: number): Generator<Buffer> {
  const email = Buffer.from("someone@example.com");
  const varint = (value: number) => {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
    return Buffer.from(bytes);
  };
  yield Buffer.concat([
    Buffer.from([0x0a]),
    varint(email.length),
    email,
    Buffer.from([0x12]),
    varint(passwordBytes),
  ]);
  const letters = Buffer.alloc(MiB, "a");
  for (let sent = 0; sent < passwordBytes; sent += MiB)
    yield letters.subarray(0, Math.min(MiB, passwordBytes - sent));
}

async function gzipped(chunks: Iterable<Buffer>): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  for (const chunk of chunks) if (!gzip.write(chunk)) await once(gzip, "drain");
  gzip.end();
  await once(gzip, "end");
  return Buffer.concat(out);
}

/** One Connect unary Login over h2c, written by hand; answers the Connect error code or `ok`. */
async function rawLogin(rpcUrl: string, body: Buffer, gzip: boolean): Promise<string> {
  const session = connect(rpcUrl);
  session.on("error", () => {});
  const stream = session.request({
    ":method": "POST",
    ":path": "/bourse.users.v1.AuthService/Login",
    "content-type": "application/proto",
    "connect-protocol-version": "1",
    ...(gzip && { "content-encoding": "gzip" }),
  });
  const closed = new Promise((resolve) => stream.on("close", resolve));
  stream.on("error", () => {});
  let status = 0;
  stream.on("response", (headers) => {
    status = Number(headers[":status"]);
  });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.end(body);
  await closed;
  session.close();
  if (status === 200) return "ok";
  // The server may cut a body it will not read; HTTP/2 code 11 is ENHANCE_YOUR_CALM.
  if (status === 0) return stream.rstCode === 11 ? "stream reset (calm)" : `stream reset (${stream.rstCode})`;
  try {
    return JSON.parse(Buffer.concat(chunks).toString()).code;
  } catch {
    return `http ${status}`;
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const dist = (d: Distribution) => `${fixed(d.p50)} / ${fixed(d.p99)} / ${fixed(d.max)}`;
const limits = { "1 MiB (default)": String(MiB), "4 GiB (old)": String(0xffffffff) };

async function requestSizeFigures() {
  const bomb = await gzipped(loginRequestChunks(BOMB_BYTES));
  const oversize = Buffer.concat([...loginRequestChunks(OVERSIZE_BYTES)]);
  const requests = [
    {
      name: `gzip bomb ${fixed(bomb.length / 1024, 0)} KiB -> ${BOMB_BYTES / MiB} MiB`,
      body: bomb,
      gzip: true,
    },
    { name: `plain ${OVERSIZE_BYTES / MiB} MiB Login`, body: oversize, gzip: false },
  ];
  console.log("(a) request size: one anonymous Login against a fresh users process");
  console.log(
    `${"request".padEnd(34)}${"MAX_MESSAGE_BYTES".padEnd(20)}${"answer".padEnd(22)}${"server CPU".padEnd(14)}${"peak RSS growth".padEnd(18)}wall`,
  );
  for (const request of requests) {
    for (const [label, maxBytes] of Object.entries(limits)) {
      const server = await startServer({ MAX_MESSAGE_BYTES: maxBytes });
      const started = performance.now();
      const { result, measurement } = await server.measure(() =>
        rawLogin(server.rpcUrl, request.body, request.gzip),
      );
      const wall = performance.now() - started - 100;
      await server.stop();
      console.log(
        `${request.name.padEnd(34)}${label.padEnd(20)}${result.padEnd(22)}${`${fixed(measurement.cpuMs, 0)} ms`.padEnd(14)}${`${fixed(measurement.peakRssGrowthMiB)} MiB`.padEnd(18)}${fixed(wall, 0)} ms`,
      );
    }
  }
}

async function loginFlood(rpcUrl: string): Promise<{ codes: Map<string, number>; ms: number }> {
  const clients = Array.from({ length: CONNECTIONS }, () =>
    createServiceClient(AuthService, { baseUrl: rpcUrl, caller: "bench" }),
  );
  const email = "flooded@example.com";
  await clients[0]?.register({ email, password: "a correct horse battery", displayName: "Flooded" });
  const codes = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: FLOOD }, async (_, index) => {
      const client = clients[index % CONNECTIONS];
      let code = "ok";
      try {
        await client?.login({ email, password: `wrong password ${index}` });
      } catch (error) {
        code = codeToString(ConnectError.from(error).code);
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }),
  );
  return { codes, ms: performance.now() - started };
}

async function loginFloodFigures() {
  const noThrottle = { LOGIN_ATTEMPTS_PER_ACCOUNT: "1000000", LOGIN_ATTEMPTS_PER_ADDRESS: "1000000" };
  const scenarios = [
    { name: "hashing unbounded (old)", env: { ...noThrottle, PASSWORD_HASH_CONCURRENCY: "0" } },
    { name: "hashing bounded (default)", env: noThrottle },
    { name: "bounded + default throttle", env: {} },
  ];
  console.log(
    `\n(b) ${FLOOD} concurrent wrong-password logins for one account over ${CONNECTIONS} connections`,
  );
  console.log("    latencies in ms as p50 / p99 / max, measured inside the server process");
  for (const scenario of scenarios) {
    const server = await startServer(scenario.env);
    const idle = await server.measure(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    const { result, measurement } = await server.measure(() => loginFlood(server.rpcUrl));
    await server.stop();
    const answers = [...result.codes].map(([code, count]) => `${count} ${code}`).join(", ");
    console.log(
      `  ${scenario.name}: ${answers}; flood took ${fixed(result.ms, 0)} ms, server CPU ${fixed(measurement.cpuMs, 0)} ms`,
    );
    console.log(
      `    event-loop delay  idle ${dist(idle.measurement.eventLoopDelayMs)}   flood ${dist(measurement.eventLoopDelayMs)}`,
    );
    console.log(
      `    dns.lookup        idle ${dist(idle.measurement.dnsLookupMs)}   flood ${dist(measurement.dnsLookupMs)}`,
    );
    console.log(
      `    fs.stat           idle ${dist(idle.measurement.fsStatMs)}   flood ${dist(measurement.fsStatMs)}`,
    );
  }
}

await requestSizeFigures();
await loginFloodFigures();
