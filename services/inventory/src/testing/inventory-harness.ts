import { createServiceClient, type RunningService, startService } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import { createTestTokenSigner, rpcError, serveJwks } from "@bourse/common/testing";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import type { Client, Code } from "@connectrpc/connect";
import { createInventoryService, type InventoryOptions } from "../server.js";

/** A running inventory service with a client and tokens for each role, for integration tests. */
export interface InventoryHarness {
  readonly service: RunningService;
  readonly client: Client<typeof InventoryService>;
  /** Call options carrying an admin's, or a customer's, access token. */
  readonly asAdmin: { headers: Record<string, string> };
  readonly asCustomer: { headers: Record<string, string> };
  /** The value of one sample on the admin port's /metrics, 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export async function startInventory(
  store: Store,
  env: Record<string, string> = {},
  options: InventoryOptions = {},
): Promise<InventoryHarness> {
  const signer = await createTestTokenSigner();
  const jwks = await serveJwks(signer.jwks);
  const service = await startService(createInventoryService(options), {
    env: {
      BIND_HOST: "127.0.0.1",
      RPC_PORT: "0",
      ADMIN_PORT: "0",
      LOG_LEVEL: "silent",
      AUTH_JWKS_URL: jwks.url,
      COINGECKO_ENABLED: "false",
      ...env,
    },
    store,
  });
  const bearer = async (role: "admin" | "customer") => ({
    headers: { authorization: `Bearer ${await signer.sign({ userId: `${role}-1`, role })}` },
  });
  return {
    service,
    client: createServiceClient(InventoryService, { baseUrl: service.rpcUrl, caller: "test" }),
    asAdmin: await bearer("admin"),
    asCustomer: await bearer("customer"),
    async metric(name, labels = {}) {
      const text = await (await fetch(`${service.adminUrl}/metrics`)).text();
      const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
      const line = text
        .split("\n")
        .find(
          (row) =>
            (row.startsWith(`${name} `) || row.startsWith(`${name}{`)) &&
            wanted.every((label) => row.includes(label)),
        );
      return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
    },
    async stop() {
      await service.stop();
      jwks.close();
    },
  };
}

/** The error code a call fails with; throws when it succeeds. */
export async function codeOf(call: Promise<unknown>): Promise<Code> {
  return (await rpcError(call)).code;
}
