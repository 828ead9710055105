import { Counter, type Registry } from "prom-client";
import type { AuthEvent } from "./auth/auth-flows.js";

/** Business metrics of the users service, beside the runtime's RED metrics. */
export function createUsersMetrics(registry: Registry) {
  const authEvents = new Counter({
    name: "users_auth_events_total",
    help: "Sign-ups, sign-ins (and failures), refreshes, refresh-token reuse detections and sign-outs",
    labelNames: ["event"] as const,
    registers: [registry],
  });
  const signInsRefused = new Counter({
    name: "users_sign_ins_refused_total",
    help: "Sign-ins refused with resource_exhausted: over an account's or an address's budget, or password hashing full",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  return {
    authEvent: (event: AuthEvent) => authEvents.inc({ event }),
    signInRefused: (reason: "account" | "address" | "hashing") => signInsRefused.inc({ reason }),
  };
}
