import { createContextValues } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { clientAddressOf, peerAddressKey, peerAddressOf } from "./client-address.js";

const peer = (address: string) => createContextValues().set(peerAddressKey, address);
const forwarded = (value: string) => new Headers({ "x-forwarded-for": value });

describe("client address", () => {
  it("is the connection's peer, whatever x-forwarded-for says, when no proxy is trusted", () => {
    expect(clientAddressOf(peer("10.0.0.5"), forwarded("203.0.113.1"), 0)).toBe("10.0.0.5");
  });

  it("is the entry the trusted proxies saw, never one a client wrote before them", () => {
    // The client wrote 1.2.3.4 itself; the gateway (the peer) appended the address it saw.
    const header = forwarded("1.2.3.4, 203.0.113.1");
    expect(clientAddressOf(peer("10.0.0.5"), header, 1)).toBe("203.0.113.1");
    expect(clientAddressOf(peer("10.0.0.5"), forwarded("203.0.113.1, 10.0.0.9"), 2)).toBe("203.0.113.1");
    expect(clientAddressOf(peer("10.0.0.5"), new Headers(), 1)).toBe("10.0.0.5");
  });

  it("drops the IPv4-mapped prefix from the peer address", () => {
    const request = { socket: { remoteAddress: "::ffff:127.0.0.1" } } as never;
    expect(peerAddressOf(request)).toBe("127.0.0.1");
  });
});
