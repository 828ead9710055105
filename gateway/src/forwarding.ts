import { peerAddressKey, requestIdHeader } from "@bourse/common";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import {
  type CallOptions,
  Code,
  ConnectError,
  type ConnectRouter,
  createClient,
  type HandlerContext,
  type ServiceImpl,
  type Transport,
} from "@connectrpc/connect";

/**
 * Request headers the upstream needs: who calls, the trace, and the id to match logs by. Nothing else
 * passes: above all not a caller's own `x-bourse-service-credential`, which the services would trust
 * (the gateway's upstream transport sets its own).
 */
const forwardedHeaders = ["authorization", "traceparent", "tracestate", requestIdHeader];

type UnaryCall = (request: unknown, options: CallOptions) => Promise<unknown>;
type StreamingCall = (request: unknown, options: CallOptions) => AsyncIterable<unknown>;

/**
 * The caller's headers, its remaining deadline and its cancellation, for the upstream call. The peer's
 * address is appended to `x-forwarded-for`: the services read it past this hop on calls that present
 * the service credential, as the gateway's do.
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

/**
 * The upstream's error as the gateway's own. Connect relays only the code, message and details of an
 * error read off the wire; its metadata (`retry-after` of the users login throttle...) must be carried
 * over explicitly. An upstream that could not be reached is `unavailable` without the reason, which
 * names internal addresses (it stays in the error's cause, for the access log).
 */
function relayed(error: unknown): unknown {
  if (!(error instanceof ConnectError)) return error;
  if (error.isWireError) {
    const copy = new ConnectError(error.rawMessage, error.code, error.metadata, undefined, error);
    copy.details = error.details;
    return copy;
  }
  if (error.code === Code.Unavailable) {
    return new ConnectError(
      "the service behind this method is unavailable",
      Code.Unavailable,
      undefined,
      undefined,
      error,
    );
  }
  return error;
}

function forwardingHandler(method: DescMethod, call: UnaryCall | StreamingCall | undefined): unknown {
  if (call === undefined) throw new Error(`no client method for ${method.parent.typeName}/${method.name}`);
  switch (method.methodKind) {
    case "unary":
      return async (request: unknown, context: HandlerContext) => {
        try {
          return await (call as UnaryCall)(request, upstreamCallOptions(context));
        } catch (error) {
          throw relayed(error);
        }
      };
    case "server_streaming":
      return async function* (request: unknown, context: HandlerContext) {
        try {
          yield* (call as StreamingCall)(request, upstreamCallOptions(context));
        } catch (error) {
          throw relayed(error);
        }
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
