import { type HealthState, registerHealthService, registerReflectionService } from "@bourse/common";
import type { ConnectRouter } from "@connectrpc/connect";

/**
 * `grpc.health.v1.Health` (following the gateway's readiness) and gRPC server reflection, so that
 * grpcurl and `buf curl` can call the gateway without a local schema. Register it after the forwarded
 * services: reflection describes what the router serves, so the internal services, which have no
 * route, are never listed.
 */
export function registerIntrospection(router: ConnectRouter, health: HealthState): void {
  for (const { service } of router.handlers) health.register(service.typeName);
  registerHealthService(router, health);
  registerReflectionService(router, () => [...new Set(router.handlers.map((handler) => handler.service))]);
}
