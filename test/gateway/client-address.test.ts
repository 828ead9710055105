/**
 * Clients behind the gateway as the users service sees them, with no TRUSTED_PROXY_HOPS anywhere (as
 * under `npm start`): the gateway presents the service credential on the calls it forwards, so users
 * reads the address it appended to `x-forwarded-for`, and each client address has its own sign-in
 * budget; a caller of users that does not present the credential is its connection's peer, whatever it
 * writes. Two clients are told apart by their source address on the loopback network (127.0.0.1 and
 * 127.0.0.2, both loopback on Linux).
 */
import { connect } from "node:net";
import { MemoryStore } from "@bourse/common/storage";
import { rpcError } from "@bourse/common/testing";
import { createGateway, type RunningGateway } from "@bourse/gateway";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { startUsers, type UsersHarness } from "@bourse/users/testing";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("the users service behind the gateway", () => {
  let users: UsersHarness;
  let gateway: RunningGateway;
  beforeAll(async () => {
    users = await startUsers(new MemoryStore(), { env: { LOGIN_ATTEMPTS_PER_ADDRESS: "2" } });
    gateway = await createGateway({
      env: {
        BIND_HOST: "127.0.0.1",
        GATEWAY_HTTP_PORT: "0",
        GATEWAY_GRPC_PORT: "0",
        GATEWAY_ADMIN_PORT: "0",
        LOG_LEVEL: "silent",
        SERVICE_CREDENTIAL: users.serviceCredential,
        USERS_URL: users.users.rpcUrl,
        AUTH_JWKS_URL: `${users.users.adminUrl}/.well-known/jwks.json`,
        // The gateway's own login limits stay out of the way: the users service's are under test.
        GATEWAY_LOGIN_ATTEMPTS_PER_ADDRESS: "1000",
        GATEWAY_LOGIN_ATTEMPTS_PER_EMAIL: "1000",
      },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await users?.stop();
  });

  /** AuthService through the gateway, from a connection whose source address is `localAddress`. */
  const authFrom = (localAddress: string) =>
    createClient(
      AuthService,
      createConnectTransport({ baseUrl: gateway.httpUrl, httpVersion: "1.1", nodeOptions: { localAddress } }),
    );
  const wrongPassword = (email: string) => ({ email, password: "not the password" });

  it("gives each client address its own sign-in budget, whatever x-forwarded-for the client writes", async () => {
    const alice = authFrom("127.0.0.1");
    const bob = authFrom("127.0.0.2");
    expect((await rpcError(alice.login(wrongPassword("a1@example.com")))).code).toBe(Code.Unauthenticated);
    expect((await rpcError(alice.login(wrongPassword("a2@example.com")))).code).toBe(Code.Unauthenticated);
    const forged = { headers: { "x-forwarded-for": "198.51.100.9" } };
    const refused = await rpcError(alice.login(wrongPassword("a3@example.com"), forged));
    expect(refused.code).toBe(Code.ResourceExhausted);
    expect(Number(refused.metadata.get("retry-after"))).toBeGreaterThan(0);
    expect((await rpcError(bob.login(wrongPassword("b1@example.com")))).code).toBe(Code.Unauthenticated);
  });

  it("counts a direct caller of users by its connection, whatever x-forwarded-for it writes", async () => {
    const direct = createClient(
      AuthService,
      createConnectTransport({
        baseUrl: users.users.rpcUrl,
        httpVersion: "2",
        nodeOptions: {
          createConnection: (authority: URL) =>
            connect({ host: authority.hostname, port: Number(authority.port), localAddress: "127.0.0.3" }),
        },
      }),
    );
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    for (const address of ["198.51.100.1", "198.51.100.2"]) {
      const wrong = await rpcError(direct.login(wrongPassword(`${address}@example.com`), from(address)));
      expect(wrong.code).toBe(Code.Unauthenticated);
    }
    const refused = await rpcError(direct.login(wrongPassword("c@example.com"), from("198.51.100.3")));
    expect(refused.code).toBe(Code.ResourceExhausted);
  });
});
