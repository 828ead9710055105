import { once } from "node:events";
import { createServer } from "node:net";
import { launchTypeScript } from "@bourse/common/testing";

/** Where a running `npm start` listens, as it reports it. */
export interface ExchangeEndpoints {
  readonly usersRpc: string;
  readonly usersAdmin: string;
  readonly inventoryRpc: string;
  readonly inventoryAdmin: string;
  /** The gateway's HTTP/1.1 listener (Connect, gRPC-Web). */
  readonly gatewayHttp: string;
}

export interface RunningExchange {
  readonly endpoints: ExchangeEndpoints;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** The process ids of the services and the gateway it runs as child processes (none with --all-in-one). */
  childProcessIds(): number[];
  /** Sends `signal` (SIGTERM unless said, SIGINT is Ctrl-C) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

interface RunningLine {
  readonly msg: string;
  readonly services: ReadonlyArray<{ readonly name: string; readonly rpc: string; readonly admin: string }>;
  readonly gateway: { readonly http: string; readonly grpc: string; readonly admin: string };
}

/** The endpoints in the launcher's JSON line saying that Bourse is running. */
function reportedEndpoints(line: string): ExchangeEndpoints {
  const { services, gateway } = JSON.parse(line) as RunningLine;
  const find = (name: string) => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`npm start did not report the ${name} service: ${line}`);
    return service;
  };
  return {
    usersRpc: find("users").rpc,
    usersAdmin: find("users").admin,
    inventoryRpc: find("inventory").rpc,
    inventoryAdmin: find("inventory").admin,
    gatewayHttp: gateway.http,
  };
}

/** Variables of `npm start` that move ports or point services at each other. */
const launcherVariables =
  /^(BIND_HOST|RPC_PORT|ADMIN_PORT|[A-Z]+_(RPC|ADMIN)_PORT|GATEWAY_(HTTP|GRPC|ADMIN)_PORT|[A-Z]+_URL|AUTH_JWKS_URL)$/;

/** Ports that are free now, distinct from each other. */
export async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => createServer().listen(0, "127.0.0.1"));
  await Promise.all(probes.map((probe) => once(probe, "listening")));
  const ports = probes.map((probe) => (probe.address() as { port: number }).port);
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}

/**
 * Starts `scripts/start.ts` as its own process, exactly as `npm start -- <args>` does, with the test's
 * environment cleared of launcher variables and `env` added, and resolves once it says it is running,
 * with the endpoints it reports.
 */
export async function startExchange(
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<RunningExchange> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !launcherVariables.test(name)),
  );
  const exchange = launchTypeScript("scripts/start.ts", {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { ...inherited, ...env },
    args,
  });
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    const { child } = exchange;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exchange.exited;
  };
  // The supervisor logs "<name> started (pid <n>)" for each child it starts.
  const childProcessIds = () =>
    [...exchange.output().matchAll(/"msg":"[a-z]+ started \(pid (\d+)\)"/g)].map((match) => Number(match[1]));
  try {
    const endpoints = reportedEndpoints(await exchange.logLine(/Bourse is running/));
    return { endpoints, output: exchange.output, childProcessIds, stop };
  } catch (error) {
    await stop();
    throw new Error(`npm start is not running: ${(error as Error).message}`);
  }
}
