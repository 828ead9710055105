import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { beforeEach, describe, expect, it, vi } from "vitest";

const session = { accessToken: "expired" as string | undefined };
const refreshSession = vi.fn(async () => {
  session.accessToken = "fresh";
  return true;
});
vi.mock("./session.ts", () => ({
  getSession: () => (session.accessToken ? { accessToken: session.accessToken } : undefined),
  refreshSession: () => refreshSession(),
}));
const { bearerToken } = await import("./bearer-token.ts");

/** A UserService that accepts only the "fresh" token, recording the authorization header of each call. */
function userService() {
  const seen: (string | null)[] = [];
  const transport = createRouterTransport(
    ({ service }) => {
      service(UserService, {
        getMe(_request, context) {
          const authorization = context.requestHeader.get("authorization");
          seen.push(authorization);
          if (authorization !== "Bearer fresh") throw new ConnectError("token expired", Code.Unauthenticated);
          return {};
        },
      });
    },
    { transport: { interceptors: [bearerToken] } },
  );
  return { client: createClient(UserService, transport), seen };
}

beforeEach(() => {
  session.accessToken = "expired";
  refreshSession.mockClear();
});

describe("bearerToken", () => {
  it("refreshes once on unauthenticated and retries the call with the new token", async () => {
    const { client, seen } = userService();
    await client.getMe({});
    expect(seen).toEqual(["Bearer expired", "Bearer fresh"]);
    expect(refreshSession).toHaveBeenCalledTimes(1);
  });

  it("gives up with the server's error when the refresh fails", async () => {
    refreshSession.mockResolvedValueOnce(false);
    const { client, seen } = userService();
    await expect(client.getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    expect(seen).toEqual(["Bearer expired"]);
  });

  it("sends no authorization header when signed out", async () => {
    session.accessToken = undefined;
    const { client, seen } = userService();
    await expect(client.getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    expect(seen).toEqual([null]);
    expect(refreshSession).not.toHaveBeenCalled();
  });
});
