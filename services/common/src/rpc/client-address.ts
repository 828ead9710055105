import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { type ContextValues, createContextKey } from "@connectrpc/connect";

/** The address of the connection's peer, as the runtime saw it; undefined outside a call. */
export const peerAddressKey = createContextKey<string | undefined>(undefined, {
  description: "peer address",
});

/** Reads the peer address off the Node request, for `connectNodeAdapter`'s `contextValues`. */
export function peerAddressOf(request: IncomingMessage | Http2ServerRequest): string | undefined {
  const address = request.socket?.remoteAddress;
  return address?.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/**
 * The client's address. With `trustedProxyHops` = 0 it is the connection's peer, and
 * `x-forwarded-for` is ignored: anyone can write it. With n > 0, the last n hops (the gateway, an
 * ingress) are trusted to have appended the address they saw, so the client is the n-th entry from
 * the right; a shorter header yields its leftmost entry. The caller chooses n per call: the users
 * service trusts the gateway's hop only on calls presenting the service credential.
 */
export function clientAddressOf(
  values: ContextValues,
  header: Headers,
  trustedProxyHops: number,
): string | undefined {
  const peer = values.get(peerAddressKey);
  if (trustedProxyHops === 0) return peer;
  const forwarded = (header.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const hops = [...forwarded, ...(peer === undefined ? [] : [peer])];
  return hops[Math.max(0, hops.length - 1 - trustedProxyHops)];
}
