import { peerAddressKey, requestIdHeader } from "@bourse/common";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import {
  type CallOptions,
  type ConnectRouter,
  createClient,
  type HandlerContext,
  type ServiceImpl,
  type Transport,
} from "@connectrpc/connect";

/** Request headers the upstream needs: who calls, the trace, and the id to match logs by. */
const forwardedHeaders = ["authorization", "traceparent", "tracestate", requestIdHeader];

type UnaryCall = (request: unknown, options: CallOptions) => Promise<unknown>;
type StreamingCall = (request: unknown, options: CallOptions) => AsyncIterable<unknown>;

/**
 * The caller's headers, its remaining deadline and its cancellation, for the upstream call. The peer's
 * address is appended to `x-forwarded-for`, as the services expect of a trusted proxy hop.
 */
function upstreamCallOptions(context: HandlerContext): CallOptions {
  const headers = new Headers();
  for (const name of forwardedHeaders) {
    const value = context.requestHeader.get(name);
    if (value !== null) headers.set(name, value);
  }
  const peer = context.values.get(peerAddressKey);
  const forwardedFor = context.requestHeader.get("x-forwarded-for");
  if (peer !== undefined) headers.set("x-forwarded-for", forwardedFor ? `${forwardedFor}, ${peer}` : peer);
  return { headers, timeoutMs: context.timeoutMs(), signal: context.signal };
}

/**
 * Handlers for every method of `service` that pass the call to the same method upstream: the request
 * message as received, the response (or each message of a stream) as sent back. An upstream
 * `ConnectError` reaches the caller with its code, message and metadata.
 */
function forwardingImplementation(
  service: DescService,
  transport: Transport,
): Partial<ServiceImpl<DescService>> {
  const client = createClient(service, transport) as unknown as Record<string, UnaryCall | StreamingCall>;
  const implementation: Record<string, unknown> = {};
  for (const method of service.methods) {
    implementation[method.localName] = forwardingHandler(method, client[method.localName]);
  }
  return implementation as Partial<ServiceImpl<DescService>>;
}

function forwardingHandler(method: DescMethod, call: UnaryCall | StreamingCall | undefined): unknown {
  if (call === undefined) throw new Error(`no client method for ${method.parent.typeName}/${method.name}`);
  switch (method.methodKind) {
    case "unary":
      return (request: unknown, context: HandlerContext) =>
        (call as UnaryCall)(request, upstreamCallOptions(context));
    case "server_streaming":
      return async function* (request: unknown, context: HandlerContext) {
        yield* (call as StreamingCall)(request, upstreamCallOptions(context));
      };
    default:
      throw new Error(
        `${method.parent.typeName}/${method.name}: ${method.methodKind} methods are not forwarded`,
      );
  }
}

/** Registers on `router` a forwarding route for every method of each service, to its upstream. */
export function registerForwarding(
  router: ConnectRouter,
  routes: readonly { readonly service: DescService; readonly transport: Transport }[],
): void {
  for (const { service, transport } of routes) {
    router.service(service, forwardingImplementation(service, transport));
  }
}
