import { createConnectTransport } from "@connectrpc/connect-web";

/**
 * The gateway serves the app and the API on one origin, so calls go to relative paths: no CORS, and the
 * Content-Security-Policy's `default-src 'self'` allows them. Binary Protobuf is smaller and faster to decode
 * than JSON.
 */
export const transportOptions = {
  baseUrl: window.location.origin,
  useBinaryFormat: true,
} as const;

/** A transport without credentials, for AuthService (which needs none) and for public market data. */
export const publicTransport = createConnectTransport(transportOptions);
