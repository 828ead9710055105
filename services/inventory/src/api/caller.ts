import type { Authenticator } from "@bourse/common/auth";
import type { HandlerContext } from "@connectrpc/connect";

/**
 * Whether an optional caller is an admin, for public reads that show admins more (delisted assets). No token
 * means an anonymous caller; a token that is present must be valid.
 */
export async function callerIsAdmin(auth: Authenticator, context: HandlerContext): Promise<boolean> {
  if (!context.requestHeader.has("authorization")) return false;
  const principal = await auth.require(context);
  return principal.role === "admin";
}
