import { GetMeResponseSchema, UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { create } from "@bufbuild/protobuf";
import { createClient, createRouterTransport, type Interceptor } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { activeTraceId, initTracing } from "../../telemetry/tracing.js";
import { tracingClientInterceptor, tracingServerInterceptor } from "./tracing.js";

const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const traceparent = (traceId: string, flags: string) => `00-${traceId}-00f067aa0ba902b7-${flags}`;

beforeAll(() => {
  initTracing({ serviceName: "tracing-without-exporter-test" });
});

/** A server that answers with the trace id its handler ran under, behind a client that records its traceparent. */
function serve(clientInterceptors: Interceptor[] = []) {
  const seen: { traceId?: string | undefined; traceparent?: string | null } = {};
  const transport = createRouterTransport(
    (router) =>
      router.service(UserService, {
        getMe(_request, handlerContext) {
          seen.traceId = activeTraceId();
          seen.traceparent = handlerContext.requestHeader.get("traceparent");
          return create(GetMeResponseSchema);
        },
      }),
    {
      router: { interceptors: [tracingServerInterceptor("test")] },
      transport: { interceptors: clientInterceptors },
    },
  );
  return { seen, transport };
}

describe("tracing with no exporter", () => {
  it("continues the caller's trace, so the handler's logs carry its trace id", async () => {
    const { seen, transport } = serve();
    await createClient(UserService, transport).getMe(
      {},
      { headers: { traceparent: traceparent(callerTrace, "01") } },
    );
    expect(seen.traceId).toBe(callerTrace);
  });

  it("starts a trace for a call that brings none", async () => {
    const { seen, transport } = serve();
    await createClient(UserService, transport).getMe({});
    expect(seen.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.traceId).not.toBe("0".repeat(32));
  });

  it("sends the client's trace on as a sampled traceparent", async () => {
    const { seen, transport } = serve([tracingClientInterceptor("test")]);
    await createClient(UserService, transport).getMe({});
    expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(seen.traceparent?.split("-")[1]).toBe(seen.traceId);
  });
});
