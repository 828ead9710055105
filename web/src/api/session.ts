import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import type { User } from "@bourse/proto/bourse/users/v1/user_pb";
import { createClient } from "@connectrpc/connect";
import { useSyncExternalStore } from "react";
import { publicTransport } from "./base-transport.ts";
import { createSessionStore, type Session } from "./session-store.ts";

export type { Session } from "./session-store.ts";

/** The app's one session; AuthService needs no token, so it goes over the public transport. */
const store = createSessionStore(createClient(AuthService, publicTransport));

export const getSession = store.get;
export const subscribeSession = store.subscribe;
export const register = store.register;
export const logIn = store.logIn;
export const refreshSession = store.refresh;
export const logOut = store.logOut;
export const loggedOut = store.loggedOut;
export const updateSessionUser: (user: User) => void = store.updateUser;

/** The current session, re-rendering the component when the user signs in, refreshes or signs out. */
export function useSession(): Session | undefined {
  return useSyncExternalStore(store.subscribe, store.get);
}
