import {
  AuthTokensSchema,
  LoginResponseSchema,
  LogoutResponseSchema,
  RefreshResponseSchema,
} from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { UserSchema } from "@bourse/proto/bourse/users/v1/user_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AuthClient, createSessionStore, refreshMargin, refreshRetryDelay } from "./session-store.ts";

const accessLifetime = 15 * 60_000;
const user = create(UserSchema, { id: "u1", email: "ada@example.com", displayName: "Ada" });

let issued = 0;
function tokens() {
  issued += 1;
  return create(AuthTokensSchema, {
    accessToken: `access-${issued}`,
    accessTokenExpiresAt: timestampFromMs(Date.now() + accessLifetime),
    refreshToken: `refresh-${issued}`,
  });
}

function fakeAuth() {
  return {
    register: vi.fn(),
    login: vi.fn(async () => create(LoginResponseSchema, { user, tokens: tokens() })),
    refresh: vi.fn(async () => create(RefreshResponseSchema, { tokens: tokens() })),
    logout: vi.fn(async () => create(LogoutResponseSchema, {})),
  };
}

const asClient = (auth: ReturnType<typeof fakeAuth>) => auth as unknown as AuthClient;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
  issued = 0;
});

afterEach(() => vi.useRealTimers());

describe("session store", () => {
  it("refreshes silently a minute before the access token expires, with the latest refresh token", async () => {
    const auth = fakeAuth();
    const store = createSessionStore(asClient(auth));
    await store.logIn("ada@example.com", "correct horse battery");
    expect(store.get()?.accessToken).toBe("access-1");

    await vi.advanceTimersByTimeAsync(accessLifetime - refreshMargin - 1);
    expect(auth.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(auth.refresh).toHaveBeenCalledWith({ refreshToken: "refresh-1" });
    expect(store.get()?.accessToken).toBe("access-2");

    await vi.advanceTimersByTimeAsync(accessLifetime - refreshMargin);
    expect(auth.refresh).toHaveBeenLastCalledWith({ refreshToken: "refresh-2" });
    expect(store.get()?.accessToken).toBe("access-3");
  });

  it("sends one Refresh for concurrent callers, since a refresh token used twice revokes its family", async () => {
    const auth = fakeAuth();
    const store = createSessionStore(asClient(auth));
    await store.logIn("ada@example.com", "correct horse battery");
    const results = await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(auth.refresh).toHaveBeenCalledTimes(1);
  });

  it("signs out when the server rejects the refresh token", async () => {
    const auth = fakeAuth();
    auth.refresh.mockRejectedValue(new ConnectError("refresh token revoked", Code.Unauthenticated));
    const store = createSessionStore(asClient(auth));
    const changes = vi.fn();
    store.subscribe(changes);
    await store.logIn("ada@example.com", "correct horse battery");
    expect(await store.refresh()).toBe(false);
    expect(store.get()).toBeUndefined();
    expect(store.loggedOut()).toBe(false);
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it("keeps the session through a network failure and tries again shortly", async () => {
    const auth = fakeAuth();
    auth.refresh.mockRejectedValueOnce(new ConnectError("failed to fetch", Code.Unavailable));
    const store = createSessionStore(asClient(auth));
    await store.logIn("ada@example.com", "correct horse battery");
    expect(await store.refresh()).toBe(false);
    expect(store.get()?.accessToken).toBe("access-1");
    await vi.advanceTimersByTimeAsync(refreshRetryDelay);
    expect(auth.refresh).toHaveBeenCalledTimes(2);
    expect(store.get()?.accessToken).toBe("access-2");
  });

  it("logs out at once, revokes the family on the server, and a late refresh does not sign back in", async () => {
    let finishRefresh: () => void = () => undefined;
    const auth = fakeAuth();
    auth.refresh.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          finishRefresh = () => resolve(create(RefreshResponseSchema, { tokens: tokens() }));
        }),
    );
    auth.logout.mockRejectedValue(new ConnectError("offline", Code.Unavailable));
    const store = createSessionStore(asClient(auth));
    await store.logIn("ada@example.com", "correct horse battery");
    const refreshing = store.refresh();
    await store.logOut();
    expect(store.get()).toBeUndefined();
    expect(auth.logout).toHaveBeenCalledWith({ refreshToken: "refresh-1" });
    finishRefresh();
    expect(await refreshing).toBe(false);
    expect(store.get()).toBeUndefined();
    expect(store.loggedOut()).toBe(true);
    await store.logIn("ada@example.com", "correct horse battery");
    expect(store.loggedOut()).toBe(false);
  });
});
