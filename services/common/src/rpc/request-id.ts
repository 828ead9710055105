import { randomUUID } from "node:crypto";
import { createContextKey } from "@connectrpc/connect";

/** Response header (and trailer on errors) naming the call, for matching a report to the log. */
export const requestIdHeader = "x-request-id";

/** The id the runtime gave the call being handled; empty outside one. */
export const requestIdKey = createContextKey<string>("", { description: "request id" });

export const newRequestId = (): string => randomUUID();
