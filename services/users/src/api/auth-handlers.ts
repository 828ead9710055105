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
  /** Proxies in front whose `x-forwarded-for` entries are trusted (see clientAddressOf); 0 trusts none. */
  readonly trustedProxyHops: number;
}

export function authHandlers(
  flows: AuthFlows,
  options: AuthHandlerOptions = { trustedProxyHops: 0 },
): ServiceImpl<typeof AuthService> {
  return {
    async register(request) {
      const { user, tokens } = await flows.register(registerRequest.parse(request));
      return { user: userMessage(user), tokens: tokensMessage(tokens) };
    },
    async login(request, context) {
      const clientAddress = clientAddressOf(context.values, context.requestHeader, options.trustedProxyHops);
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
