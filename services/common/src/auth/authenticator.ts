import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import type { Principal, Role } from "./claims.js";
import type { TokenVerifier } from "./token-verifier.js";

const bearer = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/;

/** What the authenticator reads of a call: its request headers (a handler's or an interceptor's). */
export type CallHeaders = Pick<HandlerContext, "requestHeader">;

/**
 * What handlers call to learn who is calling. Every service checks the token itself, even
 * behind the gateway (DESIGN.md §3.7).
 */
export interface Authenticator {
  /** The caller, from `Authorization: Bearer <access token>`; `unauthenticated` without a valid one. */
  require(context: CallHeaders): Promise<Principal>;
  /** The caller, who must have `role`; `permission_denied` otherwise. */
  requireRole(context: CallHeaders, role: Role): Promise<Principal>;
}

export function createAuthenticator(verifier: TokenVerifier): Authenticator {
  const require = async (context: CallHeaders) => {
    const header = context.requestHeader.get("authorization");
    if (!header) throw new ConnectError("missing access token", Code.Unauthenticated);
    const token = bearer.exec(header)?.[1];
    if (!token) throw new ConnectError("authorization must be 'Bearer <access token>'", Code.Unauthenticated);
    return verifier.verify(token);
  };
  return {
    require,
    async requireRole(context, role) {
      const principal = await require(context);
      if (principal.role !== role) throw new ConnectError(`requires the ${role} role`, Code.PermissionDenied);
      return principal;
    },
  };
}
