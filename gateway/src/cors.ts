import type { IncomingMessage, ServerResponse } from "node:http";
import { cors } from "@connectrpc/connect";

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Headers a browser client sends beyond Connect's own: the token, the trace and the request id. */
const allowedHeaders = [...cors.allowedHeaders, "Authorization", "Traceparent", "Tracestate", "X-Request-Id"];

/** Errors carry the rate-limit headers; a browser client reads them to back off. */
const exposedHeaders = [
  ...cors.exposedHeaders,
  "Retry-After",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-Request-Id",
];

/**
 * Lets browsers at `origins` call the gateway: answers their preflight and marks responses readable
 * by them. Requests from other origins get no CORS headers, so browsers refuse their responses.
 */
export function withCors(origins: readonly string[], handler: NodeHandler): NodeHandler {
  const allowed = new Set(origins);
  return (request, response) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) {
      response.setHeader("Access-Control-Allow-Origin", origin);
      response.setHeader("Vary", "Origin");
      response.setHeader("Access-Control-Expose-Headers", exposedHeaders.join(", "));
      if (request.method === "OPTIONS") {
        response.writeHead(204, {
          "Access-Control-Allow-Methods": cors.allowedMethods.join(", "),
          "Access-Control-Allow-Headers": allowedHeaders.join(", "),
          "Access-Control-Max-Age": "7200",
        });
        response.end();
        return;
      }
    }
    handler(request, response);
  };
}
