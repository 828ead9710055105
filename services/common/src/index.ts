export { type AuthConfig, authConfigSchema, authenticatorFromEnv } from "./config/auth-config.js";
export {
  announceDevelopmentMode,
  type DeploymentMode,
  deploymentModeOf,
  isProduction,
  type ProductionRule,
  refuseInProduction,
} from "./config/deployment.js";
export {
  ConfigError,
  type Env,
  flagVar,
  loadConfig,
  millisecondsVar,
  optionalFlagVar,
  portVar,
} from "./config/env.js";
export {
  embeddedInfrastructure,
  type InfrastructureConfig,
  infrastructureConfigSchema,
  loadInfrastructureConfig,
  lockConfigOf,
  storeConfigOf,
  tableNameVar,
} from "./config/infrastructure-config.js";
export { loadRuntimeConfig, type RuntimeConfig, runtimeConfigSchema } from "./config/runtime-config.js";
export {
  failedPrecondition,
  invalidArgument,
  isServerFault,
  notFound,
  permissionDenied,
  resourceExhausted,
  toConnectError,
  unauthenticated,
  unavailable,
} from "./errors.js";
export { createLogger, type Logger } from "./logging/logger.js";
export { createServiceMetrics, type RpcMetrics, type ServiceMetrics } from "./metrics/registry.js";
export { type CallContext, currentCallContext } from "./rpc/call-context.js";
export { createServiceClient, type ServiceClientOptions } from "./rpc/client.js";
export { clientAddressOf, peerAddressKey, peerAddressOf } from "./rpc/client-address.js";
export { HealthState, registerHealthService } from "./rpc/health.js";
export { InFlightCalls } from "./rpc/in-flight.js";
export { metricsClientInterceptor, metricsServerInterceptor } from "./rpc/interceptors/metrics.js";
export { registerReflectionService } from "./rpc/reflection.js";
export { requestIdHeader, requestIdKey } from "./rpc/request-id.js";
export { type AdminHandler, type AdminRoutes, createAdminServer } from "./server/admin-server.js";
export { ColocatedServices } from "./server/colocated.js";
export { stopWhenLauncherGoes } from "./server/launcher-channel.js";
export { runService } from "./server/run-service.js";
export { stopOnSignals } from "./server/run-until-signal.js";
export {
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceRoutes,
  type StartOptions,
  startService,
} from "./server/start-service.js";
export { activeTraceId, flushTracing, initTracing, type TracingOptions } from "./telemetry/tracing.js";
