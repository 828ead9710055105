import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { z } from "zod";
import { serviceCredentialInterceptor, serviceCredentialVar } from "../auth/service-credential.js";
import { type Env, loadConfig } from "../config/env.js";
import { embeddedStateUrlVar } from "../config/infrastructure-config.js";

/** Where the embedded state service is, and the credential that opens it. */
export interface EmbeddedStateClientOptions {
  /** h2c base URL of the state service, e.g. `http://127.0.0.1:50100` (EMBEDDED_STATE_URL). */
  readonly url: string;
  /** The service credential (SERVICE_CREDENTIAL), sent on every call. */
  readonly credential: string;
}

/** A client's connection to the state service. */
export interface EmbeddedStateConnection {
  readonly transport: Transport;
  /** Closes the connection; calls still open fail. */
  close(): void;
}

/**
 * One HTTP/2 connection to the state service (reopened on demand), which every call of the adapter made
 * with it multiplexes: a store call costs one stream, not a handshake. Messages are unbounded here; the
 * service sets its own limits.
 */
export function connectEmbeddedState(options: EmbeddedStateClientOptions): EmbeddedStateConnection {
  const sessionManager = new Http2SessionManager(options.url);
  const transport = createGrpcTransport({
    baseUrl: options.url,
    sessionManager,
    // On loopback, gzipping a page or a batch of items costs both sides CPU and saves nothing.
    acceptCompression: [],
    interceptors: [serviceCredentialInterceptor(options.credential)],
  });
  return { transport, close: () => sessionManager.abort() };
}

const embeddedStateClientSchema = z.object({
  EMBEDDED_STATE_URL: embeddedStateUrlVar.optional(),
  SERVICE_CREDENTIAL: serviceCredentialVar.optional(),
});

/**
 * The embedded state service `service` keeps its embedded state in (EMBEDDED_STATE_URL, opened with
 * SERVICE_CREDENTIAL), if any: for the parts a service makes itself, such as the user event log.
 */
export function embeddedStateClientOf(service: string, env: Env): EmbeddedStateClientOptions | undefined {
  const { EMBEDDED_STATE_URL: url, SERVICE_CREDENTIAL: credential } = loadConfig(
    service,
    embeddedStateClientSchema,
    env,
  );
  return url === undefined || credential === undefined ? undefined : { url, credential };
}
