import type { HandlerContext } from "@connectrpc/connect";
import { serviceCredentialGuard } from "../auth/service-credential.js";
import { toPortConnectError } from "./port-errors.js";

/**
 * Wraps the handlers of an embedded state service: each checks the service credential before it decodes
 * anything, and answers a port's error as a ConnectError the client rebuilds (port-errors.ts).
 */
export function portHandlers(credential: string) {
  const guard = serviceCredentialGuard(credential);
  return <Request, Response>(handle: (request: Request, context: HandlerContext) => Promise<Response>) =>
    async (request: Request, context: HandlerContext): Promise<Response> => {
      guard(context);
      try {
        return await handle(request, context);
      } catch (error) {
        throw toPortConnectError(error);
      }
    };
}
