import { EventEmitter, on } from "node:events";
import {
  Health,
  type HealthCheckRequest,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@bourse/proto/grpc/health/v1/health_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";

/**
 * Serving status per gRPC service name, where "" is the server as a whole. Every registered
 * service follows the server's readiness: they are one process and become ready together.
 */
export class HealthState {
  private readonly services = new Set<string>([""]);
  private ready = false;
  private readonly changes = new EventEmitter();

  constructor() {
    this.changes.setMaxListeners(0);
  }

  register(serviceName: string): void {
    this.services.add(serviceName);
  }

  setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.changes.emit("change");
  }

  isReady(): boolean {
    return this.ready;
  }

  /** The status of `serviceName`, or undefined when it is not served here. */
  statusOf(serviceName: string): ServingStatus | undefined {
    if (!this.services.has(serviceName)) return undefined;
    return this.ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  /** Yields the current status, then every change, until `signal` aborts. */
  async *watch(serviceName: string, signal: AbortSignal): AsyncGenerator<ServingStatus> {
    let last = this.statusOf(serviceName) ?? ServingStatus.SERVICE_UNKNOWN;
    yield last;
    try {
      for await (const _ of on(this.changes, "change", { signal })) {
        const status = this.statusOf(serviceName) ?? ServingStatus.SERVICE_UNKNOWN;
        if (status !== last) {
          last = status;
          yield status;
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
}

const response = (status: ServingStatus): HealthCheckResponse =>
  create(HealthCheckResponseSchema, { status });

/** Registers `grpc.health.v1.Health` backed by `state`. */
export function registerHealthService(router: ConnectRouter, state: HealthState): void {
  router.service(Health, {
    check(request: HealthCheckRequest) {
      const status = state.statusOf(request.service);
      if (status === undefined) throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      return response(status);
    },
    async *watch(request: HealthCheckRequest, context) {
      for await (const status of state.watch(request.service, context.signal)) {
        yield response(status);
      }
    },
  });
  state.register(Health.typeName);
}
