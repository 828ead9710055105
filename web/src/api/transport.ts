import { createConnectTransport } from "@connectrpc/connect-web";
import { transportOptions } from "./base-transport.ts";
import { bearerToken } from "./bearer-token.ts";

/** The transport for every call of the app: the signed-in user's calls carry their access token. */
export const transport = createConnectTransport({
  ...transportOptions,
  interceptors: [...transportOptions.interceptors, bearerToken],
});
