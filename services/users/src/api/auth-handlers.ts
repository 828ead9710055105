import { clientAddressOf } from "@bourse/common";
import type { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import type { ServiceImpl } from "@connectrpc/connect";
import { z } from "zod";
import type { AuthFlows } from "../auth/auth-flows.js";
import { displayNameField, emailField, newPasswordField, passwordField } from "../domain/fields.js";
import { tokensMessage, userMessage } from "./messages.js";

const registerRequest = z.object({
  email: emailField,
  password: newPasswordField,
  displayName: displayNameField,
});

const loginRequest = z.object({ email: emailField, password: passwordField });

/** Opaque tokens are checked for shape by the flows; here only their size is bounded. */
const refreshRequest = z.object({ refreshToken: z.string().min(1, "is required").max(512, "is too long") });

export interface AuthHandlerOptions {
  /**
   * Whether a call comes from one of our own services (it presents the service credential): only the
   * gateway's forwarded calls do, and only their `x-forwarded-for` is trusted.
   */
  readonly presentsServiceCredential: (header: Headers) => boolean;
  /** Proxies in front of the gateway (an ingress) whose `x-forwarded-for` entries are trusted too. */
  readonly trustedProxyHops: number;
}

const trustNoProxy: AuthHandlerOptions = { presentsServiceCredential: () => false, trustedProxyHops: 0 };

/**
 * The hops of `x-forwarded-for` a call's client address is read past (see clientAddressOf): none for
 * a direct call, whatever it wrote there; for the gateway's, its own hop and the proxies before it.
 */
function trustedHopsOf(header: Headers, options: AuthHandlerOptions): number {
  return options.presentsServiceCredential(header) ? 1 + options.trustedProxyHops : 0;
}

export function authHandlers(
  flows: AuthFlows,
  options: AuthHandlerOptions = trustNoProxy,
): ServiceImpl<typeof AuthService> {
  return {
    async register(request) {
      const { user, tokens } = await flows.register(registerRequest.parse(request));
      return { user: userMessage(user), tokens: tokensMessage(tokens) };
    },
    async login(request, context) {
      const hops = trustedHopsOf(context.requestHeader, options);
      const clientAddress = clientAddressOf(context.values, context.requestHeader, hops);
      const { user, tokens } = await flows.login({ ...loginRequest.parse(request), clientAddress });
      return { user: userMessage(user), tokens: tokensMessage(tokens) };
    },
    async refresh(request) {
      const { refreshToken } = refreshRequest.parse(request);
      return { tokens: tokensMessage(await flows.refresh(refreshToken)) };
    },
    async logout(request) {
      const { refreshToken } = refreshRequest.parse(request);
      await flows.logout(refreshToken);
      return {};
    },
  };
}
