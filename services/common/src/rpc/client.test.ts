import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { type RunningService, startService } from "../server/start-service.js";
import { freePort } from "../testing/free-port.js";
import { rpcError } from "../testing/rpc-error.js";
import { createServiceClient } from "./client.js";

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const WARN = 40;
const running: RunningService[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

function capturedLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger("caller", {
    level: "debug",
    destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  });
  return { logger, lines };
}

describe("createServiceClient failure logging", () => {
  it("logs an unreachable dependency once at warn with its URL, RPC, code and cause, and no token", async () => {
    const { logger, lines } = capturedLogger();
    const port = await freePort();
    const client = createServiceClient(UserService, {
      baseUrl: `http://127.0.0.1:${port}`,
      caller: "test",
      logger,
    });
    const error = await rpcError(client.getMe({}, { headers: { authorization: "Bearer secret-token" } }));
    expect(error.code).toBe(Code.Unavailable);

    const warnings = lines.filter((line) => line.level === WARN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      msg: "dependency call failed",
      url: `http://127.0.0.1:${port}/bourse.users.v1.UserService/GetMe`,
      rpc: "bourse.users.v1.UserService/GetMe",
      code: "unavailable",
      cause: expect.stringContaining("ECONNREFUSED"),
    });
    expect(JSON.stringify(lines)).not.toContain("secret-token");
  });

  it("logs a dependency's ordinary refusal at debug only", async () => {
    const service = await startService(
      {
        name: "refuser",
        setup: () => ({
          register(router) {
            router.service(UserService, {
              getMe() {
                throw new ConnectError("no such user", Code.NotFound);
              },
            });
          },
        }),
      },
      { env: { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" } },
    );
    running.push(service);
    const { logger, lines } = capturedLogger();
    const client = createServiceClient(UserService, { baseUrl: service.rpcUrl, caller: "test", logger });
    expect((await rpcError(client.getMe({}))).code).toBe(Code.NotFound);
    expect(lines.filter((line) => line.level >= WARN)).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({ code: "not_found", msg: "dependency answered with an error" }),
    ]);
  });
});
