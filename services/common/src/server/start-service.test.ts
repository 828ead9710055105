import { GetMeResponseSchema, UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { Health, HealthCheckResponse_ServingStatus } from "@bourse/proto/grpc/health/v1/health_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MemoryBus } from "../bus/memory-bus.js";
import type { MessageBus } from "../bus/message-bus.js";
import { ConfigError } from "../config/env.js";
import { createServiceClient } from "../rpc/client.js";
import { initTracing } from "../telemetry/tracing.js";
import { bufCurl } from "../testing/buf-curl.js";
import { rpcError } from "../testing/rpc-error.js";
import { type RunningService, type ServiceDefinition, startService } from "./start-service.js";

const testEnv = { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };
const spans = new InMemorySpanExporter();
const running: RunningService[] = [];

async function start(
  definition: ServiceDefinition,
  env: Record<string, string> = {},
): Promise<RunningService> {
  const service = await startService(definition, { env: { ...testEnv, ...env } });
  running.push(service);
  return service;
}

function userService(getMe: () => Promise<void> | void): ServiceDefinition {
  return {
    name: "sample",
    setup: () => ({
      register(router) {
        router.service(UserService, {
          async getMe() {
            await getMe();
            return create(GetMeResponseSchema);
          },
        });
      },
    }),
  };
}

beforeAll(() => {
  initTracing({ serviceName: "runtime-test", exporter: spans });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

describe("startService", () => {
  it("answers health checks as SERVING through buf curl, using reflection instead of a schema", async () => {
    const service = await start(userService(() => {}));
    const checked = await bufCurl([`${service.rpcUrl}/grpc.health.v1.Health/Check`]);
    expect(JSON.parse(checked)).toEqual({ status: "SERVING" });
    const methods = await bufCurl(["--list-methods", service.rpcUrl]);
    expect(methods).toContain("bourse.users.v1.UserService/GetMe");
  });

  it("serves gRPC, gRPC-Web and Connect on the same port", async () => {
    const service = await start(userService(() => {}));
    const transports = [
      createConnectTransport({ baseUrl: service.rpcUrl, httpVersion: "2" }),
      createGrpcWebTransport({ baseUrl: service.rpcUrl, httpVersion: "2" }),
    ];
    for (const transport of transports) {
      await expect(createClient(UserService, transport).getMe({})).resolves.toBeDefined();
    }
    const grpc = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test" });
    await expect(grpc.getMe({})).resolves.toBeDefined();
  });

  it("ties health and /readyz to readiness, while /healthz stays up", async () => {
    const service = await start(userService(() => {}));
    const health = createServiceClient(Health, { baseUrl: service.rpcUrl, caller: "test" });
    expect((await health.check({ service: "bourse.users.v1.UserService" })).status).toBe(
      HealthCheckResponse_ServingStatus.SERVING,
    );
    service.setReady(false);
    expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
    expect((await fetch(`${service.adminUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${service.adminUrl}/healthz`)).status).toBe(200);
    await expect(health.check({ service: "no.such.Service" })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("maps unexpected errors to an opaque internal error and validation errors to invalid_argument", async () => {
    let thrown: unknown = new Error("connection string postgres://admin:secret@db");
    const service = await start(
      userService(() => {
        throw thrown;
      }),
    );
    const client = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test" });
    const internal = await rpcError(client.getMe({}));
    expect(internal.code).toBe(Code.Internal);
    expect(internal.rawMessage).toMatch(/^internal error \(request id [0-9a-f-]{36}\)$/);
    expect(internal.rawMessage).toContain(internal.metadata.get("x-request-id"));

    thrown = z.object({ email: z.email() }).safeParse({ email: "nope" }).error;
    const invalid = await rpcError(client.getMe({}));
    expect(invalid.code).toBe(Code.InvalidArgument);
    expect(invalid.rawMessage).toContain("email");
  });

  it("counts calls in RED metrics labelled by service, method and code", async () => {
    let fail = false;
    const service = await start(
      userService(() => {
        if (fail) throw new ConnectError("no", Code.PermissionDenied);
      }),
    );
    const client = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test" });
    await client.getMe({});
    fail = true;
    await client.getMe({}).catch(() => undefined);
    const metrics = await (await fetch(`${service.adminUrl}/metrics`)).text();
    expect(metrics).toContain(
      'rpc_server_requests_total{service="bourse.users.v1.UserService",method="GetMe",code="ok"} 1',
    );
    expect(metrics).toContain(
      'rpc_server_requests_total{service="bourse.users.v1.UserService",method="GetMe",code="permission_denied"} 1',
    );
    expect(metrics).toContain("rpc_server_duration_seconds_bucket");
    expect(metrics).toContain("process_cpu_user_seconds_total");
  });

  it("propagates the trace and the remaining deadline to downstream calls", async () => {
    const seen: { traceId?: string; timeoutMs?: number } = {};
    const backend = await start({
      name: "backend",
      setup: () => ({
        register(router) {
          router.service(UserService, {
            getMe(_request, context) {
              seen.traceId = trace.getActiveSpan()?.spanContext().traceId;
              seen.timeoutMs = context.timeoutMs();
              return create(GetMeResponseSchema);
            },
          });
        },
      }),
    });
    const frontendTrace: { traceId?: string } = {};
    const frontend = await start({
      name: "frontend",
      setup: () => {
        const downstream = createServiceClient(UserService, { baseUrl: backend.rpcUrl, caller: "frontend" });
        return {
          register(router) {
            router.service(UserService, {
              async getMe() {
                frontendTrace.traceId = trace.getActiveSpan()?.spanContext().traceId;
                return downstream.getMe({});
              },
            });
          },
        };
      },
    });
    const client = createServiceClient(UserService, { baseUrl: frontend.rpcUrl, caller: "test" });
    await client.getMe({}, { timeoutMs: 5_000 });
    expect(seen.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.traceId).toBe(frontendTrace.traceId);
    expect(seen.timeoutMs).toBeGreaterThan(0);
    expect(seen.timeoutMs).toBeLessThanOrEqual(5_000);
  });

  it("fails a downstream call at once when the incoming deadline has passed", async () => {
    const backend = await start(userService(() => {}));
    const frontend = await start({
      name: "frontend",
      setup: () => {
        const downstream = createServiceClient(UserService, { baseUrl: backend.rpcUrl, caller: "frontend" });
        return {
          register(router) {
            router.service(UserService, {
              async getMe() {
                await new Promise((resolve) => setTimeout(resolve, 300));
                return downstream.getMe({});
              },
            });
          },
        };
      },
    });
    const client = createServiceClient(UserService, { baseUrl: frontend.rpcUrl, caller: "test" });
    await expect(client.getMe({}, { timeoutMs: 100 })).rejects.toMatchObject({ code: Code.DeadlineExceeded });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const backendMetrics = await (await fetch(`${backend.adminUrl}/metrics`)).text();
    expect(backendMetrics).not.toContain('method="GetMe"');
  });

  it("drains an in-flight call on stop, after reporting not ready", async () => {
    let release = () => {};
    let entered = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const service = await start(
      userService(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            entered();
          }),
      ),
    );
    const client = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test" });
    const call = client.getMe({});
    await inHandler;
    const stopped = service.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await fetch(`${service.adminUrl}/readyz`)).status).toBe(503);
    release();
    await expect(call).resolves.toBeDefined();
    await stopped;
    await expect(fetch(`${service.adminUrl}/healthz`)).rejects.toThrow();
  });

  it("closes the bus it made at stop, and leaves open a bus it was given", async () => {
    const busOf = async (bus?: MessageBus) => {
      let seen: MessageBus | undefined;
      const definition: ServiceDefinition = {
        name: "sample",
        setup: (context) => {
          seen = context.bus;
          return { register() {} };
        },
      };
      const service = await startService(definition, { env: testEnv, ...(bus ? { bus } : {}) });
      await service.stop();
      if (seen === undefined) throw new Error("setup did not run");
      return seen;
    };
    const delivers = async (bus: MessageBus) => {
      const heard: string[] = [];
      const subscription = bus.subscribe("c", (message) => heard.push(message));
      bus.publish("c", "m");
      await new Promise((resolve) => setTimeout(resolve, 10));
      subscription.close();
      return heard.length > 0;
    };
    const shared = new MemoryBus();
    expect(await busOf(shared)).toBe(shared);
    expect(await delivers(shared)).toBe(true);
    const own = await busOf();
    expect(own).toBeInstanceOf(MemoryBus);
    expect(await delivers(own)).toBe(false);
    await shared.close();
  });

  it("refuses to start with a bad configuration, naming the variables", async () => {
    await expect(
      start(
        userService(() => {}),
        { RPC_PORT: "http", LOG_LEVEL: "chatty" },
      ),
    ).rejects.toThrow(ConfigError);
    await expect(
      start(
        userService(() => {}),
        { RPC_PORT: "http" },
      ),
    ).rejects.toThrow(/RPC_PORT/);
  });

  it("records server and client spans", async () => {
    const service = await start(userService(() => {}));
    const client = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test" });
    await client.getMe({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const names = spans.getFinishedSpans().map((span) => `${span.kind}:${span.name}`);
    expect(names).toContain("1:bourse.users.v1.UserService/GetMe");
    expect(names).toContain("2:bourse.users.v1.UserService/GetMe");
  });
});
