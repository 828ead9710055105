import { GetMeResponseSchema, UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { initTracing } from "../../telemetry/tracing.js";
import { rpcError } from "../../testing/rpc-error.js";
import { tracingServerInterceptor } from "./tracing.js";

const spans = new InMemorySpanExporter();

beforeAll(() => {
  initTracing({ serviceName: "tracing-test", exporter: spans });
});

beforeEach(() => spans.reset());

function serve(getMe: () => void) {
  const transport = createRouterTransport(
    (router) =>
      router.service(UserService, {
        getMe() {
          getMe();
          return create(GetMeResponseSchema);
        },
      }),
    { router: { interceptors: [tracingServerInterceptor("test")] } },
  );
  return createClient(UserService, transport);
}

async function finishedSpan() {
  await vi.waitFor(() => expect(spans.getFinishedSpans()).toHaveLength(1));
  const [span] = spans.getFinishedSpans();
  return span;
}

describe("server tracing", () => {
  it("records a failed call's answer as an exception event with its type, code and message, without a stack", async () => {
    const client = serve(() => {
      throw new ConnectError("order already filled", Code.FailedPrecondition);
    });
    expect((await rpcError(client.getMe({}))).code).toBe(Code.FailedPrecondition);
    const span = await finishedSpan();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "order already filled" });
    expect(span?.attributes["rpc.connect_rpc.error_code"]).toBe("failed_precondition");
    const [event] = span?.events ?? [];
    expect(event?.name).toBe("exception");
    expect(event?.attributes).toEqual({
      "exception.type": String(Code.FailedPrecondition),
      "exception.message": "order already filled",
    });
  });

  it("keeps a server fault's stack", async () => {
    const client = serve(() => {
      throw new ConnectError("lost the table", Code.Internal);
    });
    await rpcError(client.getMe({}));
    const [event] = (await finishedSpan())?.events ?? [];
    expect(event?.attributes?.["exception.stacktrace"]).toContain("lost the table");
  });

  it("records no exception for a call that succeeds", async () => {
    await serve(() => {}).getMe({});
    const span = await finishedSpan();
    expect(span?.events).toEqual([]);
    expect(span?.attributes["rpc.connect_rpc.error_code"]).toBe("ok");
  });
});
