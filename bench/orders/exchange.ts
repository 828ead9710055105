import { launchedServices } from "../../scripts/launch-plan.js";
import { type NodeChild, startNodeChild } from "./node-child.js";

export interface ServiceEndpoint {
  readonly name: string;
  readonly rpc: string;
  readonly admin: string;
}

export interface Exchange {
  readonly process: NodeChild;
  readonly services: readonly ServiceEndpoint[];
  url(name: string): string;
  stop(): Promise<void>;
}

/** Variables of `npm start` that move ports or point services at each other: the bench sets its own. */
const launcherVariables =
  /^(BIND_HOST|RPC_PORT|ADMIN_PORT|[A-Z]+_(RPC|ADMIN)_PORT|[A-Z]+_URL|AUTH_JWKS_URL)$/;

/**
 * Starts the exchange as `npm start` does (scripts/start.ts in its own process) on free loopback ports,
 * with nothing reaching outside the machine (no CoinGecko) and no market maker trading beside the
 * bench, plus `env` (the store and locks to use).
 */
export async function startExchange(env: Record<string, string>): Promise<Exchange> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !launcherVariables.test(name)),
  );
  const ports = Object.fromEntries(
    launchedServices.flatMap((name) => [
      [`${name.toUpperCase()}_RPC_PORT`, "0"],
      [`${name.toUpperCase()}_ADMIN_PORT`, "0"],
    ]),
  );
  const child = await startNodeChild("scripts/start.ts", {
    ...inherited,
    ...ports,
    BIND_HOST: "127.0.0.1",
    LOG_FORMAT: "json",
    COINGECKO_ENABLED: "false",
    MARKETMAKER_ENABLED: "false",
    ...env,
  });
  try {
    const running = JSON.parse(await child.line(/Bourse is running/)) as { services: ServiceEndpoint[] };
    const url = (name: string) => {
      const service = running.services.find((candidate) => candidate.name === name);
      if (!service) throw new Error(`npm start did not report a ${name} service`);
      return service.rpc;
    };
    return { process: child, services: running.services, url, stop: child.stop };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
