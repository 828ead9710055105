import { Code, ConnectError, createHandlerContext, type UnaryRequest } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  SERVICE_CREDENTIAL_HEADER,
  serviceCredentialGuard,
  serviceCredentialInterceptor,
  serviceCredentialVar,
} from "./service-credential.js";

const credential = "c".repeat(40);

function contextWith(header: Record<string, string>) {
  return createHandlerContext({
    service: { typeName: "bourse.users.v1.LedgerService" } as never,
    method: { name: "Hold" } as never,
    protocolName: "connect",
    requestMethod: "POST",
    url: "http://localhost/bourse.users.v1.LedgerService/Hold",
    requestHeader: header,
  });
}

function refusal(check: () => void): Code | undefined {
  try {
    check();
  } catch (error) {
    return ConnectError.from(error).code;
  }
  return undefined;
}

describe("service credential", () => {
  const guard = serviceCredentialGuard(credential);

  it("admits the credential", () => {
    expect(refusal(() => guard(contextWith({ [SERVICE_CREDENTIAL_HEADER]: credential })))).toBeUndefined();
  });

  it.each([
    ["no credential", {}],
    ["an empty credential", { [SERVICE_CREDENTIAL_HEADER]: "" }],
    ["a wrong credential", { [SERVICE_CREDENTIAL_HEADER]: `${credential}x` }],
    ["a prefix of the credential", { [SERVICE_CREDENTIAL_HEADER]: credential.slice(0, 32) }],
    ["a customer's bearer token", { authorization: "Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig" }],
    ["the credential as a bearer token", { authorization: `Bearer ${credential}` }],
  ])("refuses %s with unauthenticated", (_name, header) => {
    expect(refusal(() => guard(contextWith(header)))).toBe(Code.Unauthenticated);
  });

  it("is added to every call by the client interceptor", async () => {
    const header = new Headers();
    const next = async (request: UnaryRequest) => request.header.get(SERVICE_CREDENTIAL_HEADER);
    const call = serviceCredentialInterceptor(credential)(next as never);
    expect(await call({ header } as UnaryRequest)).toBe(credential);
  });

  it("must be at least 32 characters, in config and in code", () => {
    expect(serviceCredentialVar.safeParse("x".repeat(31)).success).toBe(false);
    expect(serviceCredentialVar.safeParse("x".repeat(32)).success).toBe(true);
    expect(() => serviceCredentialGuard("short")).toThrow(RangeError);
    expect(() => serviceCredentialInterceptor("short")).toThrow(RangeError);
  });
});
