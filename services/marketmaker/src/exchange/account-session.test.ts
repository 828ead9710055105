import type { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { AccountSession } from "./account-session.js";

const credentials = { email: "mm@bourse.test", password: "a long enough password" };
const TTL_MS = 15 * 60_000;

/** AuthService as the session uses it: one account, tokens numbered in the order they are issued. */
function fakeAuth(options: { registered: boolean; password?: string }) {
  let issued = 0;
  let registered = options.registered;
  let liveRefresh: string | undefined;
  const calls: string[] = [];
  const tokens = (now: number) => {
    issued++;
    liveRefresh = `refresh-${issued}`;
    return {
      accessToken: `access-${issued}`,
      accessTokenExpiresAt: timestampFromMs(now + TTL_MS),
      refreshToken: liveRefresh,
    };
  };
  const state = { now: 0 };
  const auth = {
    async login({ password }: { password: string }) {
      calls.push("login");
      if (!registered || password !== (options.password ?? credentials.password)) {
        throw new ConnectError("wrong email or password", Code.Unauthenticated);
      }
      return { tokens: tokens(state.now) };
    },
    async register() {
      calls.push("register");
      if (registered) throw new ConnectError("email taken", Code.AlreadyExists);
      registered = true;
      return { tokens: tokens(state.now) };
    },
    async refresh({ refreshToken }: { refreshToken: string }) {
      calls.push("refresh");
      if (refreshToken !== liveRefresh) throw new ConnectError("revoked", Code.Unauthenticated);
      return { tokens: tokens(state.now) };
    },
    revokeRefresh() {
      liveRefresh = undefined;
    },
  };
  return { auth, calls, state };
}

const sessionOn = (fake: ReturnType<typeof fakeAuth>) =>
  new AccountSession(
    fake.auth as unknown as Client<typeof AuthService>,
    credentials,
    () => ({}),
    () => fake.state.now,
  );

describe("AccountSession", () => {
  it("registers the account when it cannot sign in yet, and signs in when it exists", async () => {
    const fresh = fakeAuth({ registered: false });
    expect(await sessionOn(fresh).headers()).toEqual({ authorization: "Bearer access-1" });
    expect(fresh.calls).toEqual(["login", "register"]);
    const existing = fakeAuth({ registered: true });
    expect(await sessionOn(existing).headers()).toEqual({ authorization: "Bearer access-1" });
    expect(existing.calls).toEqual(["login"]);
  });

  it("reuses the access token, refreshes it a minute before it expires, and signs in again if that fails", async () => {
    const fake = fakeAuth({ registered: true });
    const session = sessionOn(fake);
    await session.headers();
    fake.state.now = TTL_MS - 60_001;
    expect(await session.headers()).toEqual({ authorization: "Bearer access-1" });
    fake.state.now = TTL_MS - 60_000;
    expect(await session.headers()).toEqual({ authorization: "Bearer access-2" });
    fake.auth.revokeRefresh();
    fake.state.now += TTL_MS;
    expect(await session.headers()).toEqual({ authorization: "Bearer access-3" });
    expect(fake.calls).toEqual(["login", "refresh", "refresh", "login"]);
  });

  it("signs in again after forget (a call was refused as unauthenticated)", async () => {
    const fake = fakeAuth({ registered: true });
    const session = sessionOn(fake);
    await session.headers();
    session.forget();
    expect(await session.headers()).toEqual({ authorization: "Bearer access-2" });
  });

  it("says which variable to set when the account exists with another password", async () => {
    const fake = fakeAuth({ registered: true, password: "the password of another run" });
    const refused = await sessionOn(fake)
      .headers()
      .catch((error: unknown) => ConnectError.from(error));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.Unauthenticated);
    expect((refused as ConnectError).rawMessage).toMatch(/set MARKETMAKER_PASSWORD/);
  });
});
