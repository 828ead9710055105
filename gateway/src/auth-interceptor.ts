import type { Authenticator, Principal } from "@bourse/common/auth";
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { accessOf } from "./public-services.js";

/** The verified caller of the call being handled; undefined for a method open to anyone. */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "caller" });

/**
 * Refuses, before anything is forwarded, a call without a valid access token (`unauthenticated`) to a
 * method that needs one, and a non-admin's call to an admin method (`permission_denied`). The
 * services check the token again themselves: this keeps bad calls off them, it does not replace them.
 */
export function authInterceptor(authenticator: Authenticator): Interceptor {
  return (next) => async (request) => {
    const access = accessOf(request.service.typeName, request.method.name);
    if (access !== "anonymous") {
      const call = { requestHeader: request.header };
      const principal =
        access === "admin"
          ? await authenticator.requireRole(call, "admin")
          : await authenticator.require(call);
      request.contextValues.set(principalKey, principal);
    }
    return next(request);
  };
}
