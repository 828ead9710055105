import type { AuthService, AuthTokens } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import type { User } from "@bourse/proto/bourse/users/v1/user_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError } from "@connectrpc/connect";

/**
 * The signed-in user and their tokens, kept in memory only: nothing reaches localStorage, sessionStorage or
 * cookies, so a script injected later cannot read a stored token, and reloading the page signs the user out.
 */
export interface Session {
  readonly user: User;
  readonly accessToken: string;
  /** Epoch milliseconds after which the server rejects accessToken. */
  readonly accessTokenExpiresAt: number;
  readonly refreshToken: string;
}

export type AuthClient = Pick<Client<typeof AuthService>, "register" | "login" | "refresh" | "logout">;

/** Refresh this long before the access token expires, so requests never carry an expired one. */
export const refreshMargin = 60_000;
/** After a refresh that failed for a reason other than a rejected token (network down), try again this soon. */
export const refreshRetryDelay = 10_000;

export interface SessionStore {
  get(): Session | undefined;
  subscribe(listener: () => void): () => void;
  register(email: string, password: string, displayName: string): Promise<Session>;
  logIn(email: string, password: string): Promise<Session>;
  /** Replaces the signed-in user's profile (after an update) without touching the tokens. */
  updateUser(user: User): void;
  /**
   * Rotates the token pair. Concurrent callers share one Refresh call: the refresh token is single-use, and
   * presenting it twice would revoke the whole family. Resolves false when there is no session or the
   * refresh failed; a rejected refresh token (or an expired access token) signs the user out.
   */
  refresh(): Promise<boolean>;
  /** Signs out at once, then revokes the token family on the server, whose answer it does not wait for. */
  logOut(): Promise<void>;
  /** Whether the last session ended because the user logged out (not because it expired or was revoked). */
  loggedOut(): boolean;
}

function sessionFrom(user: User | undefined, tokens: AuthTokens | undefined): Session {
  if (!user || !tokens?.accessTokenExpiresAt)
    throw new ConnectError("the server sent no session", Code.Internal);
  return {
    user,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: timestampMs(tokens.accessTokenExpiresAt),
    refreshToken: tokens.refreshToken,
  };
}

/** The session state machine over an AuthService client; `now` is injectable so tests control time. */
export function createSessionStore(auth: AuthClient, now: () => number = Date.now): SessionStore {
  let current: Session | undefined;
  let loggedOut = false;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshInFlight: Promise<boolean> | undefined;
  const listeners = new Set<() => void>();

  const scheduleRefresh = (delay: number) => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), delay);
  };

  const publish = (session: Session | undefined) => {
    current = session;
    if (session) loggedOut = false;
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    if (session) scheduleRefresh(Math.max(session.accessTokenExpiresAt - now() - refreshMargin, 1_000));
    for (const listener of listeners) listener();
  };

  const rotate = async (): Promise<boolean> => {
    const session = current;
    if (!session) return false;
    try {
      const response = await auth.refresh({ refreshToken: session.refreshToken });
      // Signed out (or in as someone else) meanwhile: these tokens belong to a session that has ended.
      if (current !== session) return false;
      publish(sessionFrom(session.user, response.tokens));
      return true;
    } catch (error) {
      if (current !== session) return false;
      if (ConnectError.from(error).code === Code.Unauthenticated || now() >= session.accessTokenExpiresAt) {
        publish(undefined);
      } else {
        scheduleRefresh(refreshRetryDelay);
      }
      return false;
    }
  };

  const refresh = (): Promise<boolean> => {
    refreshInFlight ??= rotate().finally(() => {
      refreshInFlight = undefined;
    });
    return refreshInFlight;
  };

  return {
    get: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async register(email, password, displayName) {
      const response = await auth.register({ email, password, displayName });
      const session = sessionFrom(response.user, response.tokens);
      publish(session);
      return session;
    },
    async logIn(email, password) {
      const response = await auth.login({ email, password });
      const session = sessionFrom(response.user, response.tokens);
      publish(session);
      return session;
    },
    updateUser(user) {
      if (current) publish({ ...current, user });
    },
    refresh,
    async logOut() {
      const session = current;
      loggedOut = true;
      publish(undefined);
      if (session) await auth.logout({ refreshToken: session.refreshToken }).catch(() => undefined);
    },
    loggedOut: () => loggedOut,
  };
}
