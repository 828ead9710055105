import { AuthService, type AuthTokens } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import type { User } from "@bourse/proto/bourse/users/v1/user_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { useSyncExternalStore } from "react";
import { publicTransport } from "./base-transport.ts";

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

/** Refresh this long before the access token expires, so requests never carry an expired one. */
const refreshMargin = 60_000;
/** After a refresh that failed for a reason other than a rejected token (network down), try again this soon. */
const refreshRetryDelay = 10_000;

const auth = createClient(AuthService, publicTransport);

let current: Session | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshInFlight: Promise<boolean> | undefined;
const listeners = new Set<() => void>();

function publish(session: Session | undefined): void {
  current = session;
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (session) scheduleRefresh(Math.max(session.accessTokenExpiresAt - Date.now() - refreshMargin, 1_000));
  for (const listener of listeners) listener();
}

function scheduleRefresh(delay: number): void {
  refreshTimer = setTimeout(() => void refreshSession(), delay);
}

function fromTokens(user: User, tokens: AuthTokens | undefined): Session {
  if (!tokens?.accessTokenExpiresAt) throw new ConnectError("the server sent no tokens", Code.Internal);
  return {
    user,
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: timestampMs(tokens.accessTokenExpiresAt),
    refreshToken: tokens.refreshToken,
  };
}

export function getSession(): Session | undefined {
  return current;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current session, re-rendering the component when the user signs in, refreshes or signs out. */
export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribeSession, getSession);
}

export async function register(email: string, password: string, displayName: string): Promise<Session> {
  const response = await auth.register({ email, password, displayName });
  if (!response.user) throw new ConnectError("the server sent no user", Code.Internal);
  const session = fromTokens(response.user, response.tokens);
  publish(session);
  return session;
}

export async function logIn(email: string, password: string): Promise<Session> {
  const response = await auth.login({ email, password });
  if (!response.user) throw new ConnectError("the server sent no user", Code.Internal);
  const session = fromTokens(response.user, response.tokens);
  publish(session);
  return session;
}

/** Replaces the signed-in user's profile (after an update) without touching the tokens. */
export function updateSessionUser(user: User): void {
  if (current) publish({ ...current, user });
}

/**
 * Rotates the token pair. Concurrent callers share one Refresh call: the refresh token is single-use, and
 * presenting it twice would revoke the whole family. Resolves false when there is no session or the server
 * rejected the refresh token (the user is then signed out).
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= rotate().finally(() => {
    refreshInFlight = undefined;
  });
  return refreshInFlight;
}

async function rotate(): Promise<boolean> {
  const session = current;
  if (!session) return false;
  try {
    const response = await auth.refresh({ refreshToken: session.refreshToken });
    if (current !== session) return current !== undefined;
    publish(fromTokens(session.user, response.tokens));
    return true;
  } catch (error) {
    if (current !== session) return current !== undefined;
    if (
      ConnectError.from(error).code === Code.Unauthenticated ||
      Date.now() >= session.accessTokenExpiresAt
    ) {
      publish(undefined);
      return false;
    }
    scheduleRefresh(refreshRetryDelay);
    return false;
  }
}

/**
 * Signs out at once, then revokes the refresh token's family on the server. The local sign-out does not wait
 * for the server: a user who clicks "Log out" while offline is still signed out of this tab.
 */
export async function logOut(): Promise<void> {
  const session = current;
  publish(undefined);
  if (session) await auth.logout({ refreshToken: session.refreshToken }).catch(() => undefined);
}
