import { setTimeout as sleep } from "node:timers/promises";
import { launchedServices } from "../../scripts/launch-plan.js";
import { type NodeChild, startNodeChild } from "./node-child.js";

export interface ServiceEndpoint {
  readonly name: string;
  readonly rpc: string;
  readonly admin: string;
}

/** The public API of `npm start`, as its running line reports it. */
export interface GatewayEndpoint {
  /** HTTP/1.1: Connect and gRPC-Web. */
  readonly http: string;
  /** h2c: gRPC. */
  readonly grpc: string;
  readonly admin: string;
}

export interface Exchange {
  readonly process: NodeChild;
  readonly services: readonly ServiceEndpoint[];
  readonly gateway: GatewayEndpoint;
  url(name: string): string;
  stop(): Promise<void>;
}

const CLAIM_TIMEOUT_MS = 60_000;

/** Variables of `npm start` that move ports or point services at each other: the bench sets its own. */
const launcherVariables =
  /^(BIND_HOST|RPC_PORT|ADMIN_PORT|[A-Z]+_(RPC|ADMIN)_PORT|GATEWAY_(HTTP|GRPC|ADMIN)_PORT|[A-Z]+_URL|AUTH_JWKS_URL)$/;

/**
 * Starts the exchange as `npm start -- --all-in-one` does (scripts/start.ts in its own process, every
 * service in it, so that one CPU profile covers them all) on free loopback ports, with nothing reaching
 * outside the machine (no CoinGecko) and no market maker trading beside the bench, plus `env` (the store
 * and locks to use). Resolves once matching owns `markets`.
 */
export async function startExchange(
  env: Record<string, string>,
  markets: readonly string[],
): Promise<Exchange> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !launcherVariables.test(name)),
  );
  const ports = {
    ...Object.fromEntries(
      launchedServices.flatMap((name) => [
        [`${name.toUpperCase()}_RPC_PORT`, "0"],
        [`${name.toUpperCase()}_ADMIN_PORT`, "0"],
      ]),
    ),
    GATEWAY_HTTP_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    GATEWAY_ADMIN_PORT: "0",
  };
  const child = await startNodeChild("scripts/start.ts", {
    ...inherited,
    ...ports,
    BIND_HOST: "127.0.0.1",
    LOG_FORMAT: "json",
    COINGECKO_ENABLED: "false",
    MARKETMAKER_ENABLED: "false",
    BOURSE_ALL_IN_ONE: "true",
    ...env,
  });
  try {
    const running = JSON.parse(await child.line(/Bourse is running/)) as {
      services: ServiceEndpoint[];
      gateway: GatewayEndpoint;
    };
    const url = (name: string) => {
      const service = running.services.find((candidate) => candidate.name === name);
      if (!service) throw new Error(`npm start did not report a ${name} service`);
      return service.rpc;
    };
    // Matching claims the markets one by one, staggered: orders sent before wait for it.
    const taken = Promise.all(markets.map((market) => child.line(new RegExp(`matching: took ${market}\\b`))));
    const timeout = sleep(CLAIM_TIMEOUT_MS, undefined, { ref: false }).then(() => {
      throw new Error(`matching did not take ${markets.join(", ")} within ${CLAIM_TIMEOUT_MS} ms`);
    });
    await Promise.race([taken, timeout]);
    return { process: child, services: running.services, gateway: running.gateway, url, stop: child.stop };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
