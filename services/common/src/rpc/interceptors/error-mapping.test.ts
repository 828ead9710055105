import { Writable } from "node:stream";
import { GetMeResponseSchema, UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../logging/logger.js";
import { rpcError } from "../../testing/rpc-error.js";
import { requestIdHeader, requestIdKey } from "../request-id.js";
import { errorMappingInterceptor } from "./error-mapping.js";

function serve(getMe: (requestId: string) => void) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const logger = createLogger("test", { destination });
  const transport = createRouterTransport(
    (router) =>
      router.service(UserService, {
        getMe(_request, context) {
          getMe(context.values.get(requestIdKey));
          return create(GetMeResponseSchema);
        },
      }),
    { router: { interceptors: [errorMappingInterceptor(logger)] } },
  );
  return { client: createClient(UserService, transport), lines };
}

const requestIdPattern = /^[0-9a-f-]{36}$/;

describe("error mapping", () => {
  it("answers a server fault with a generic message and a request id, and logs the detail under that id", async () => {
    for (const code of [Code.Internal, Code.Unknown, Code.DataLoss, Code.Unimplemented]) {
      const { client, lines } = serve(() => {
        throw new ConnectError("BAL#USD lacks available", code);
      });
      const error = await rpcError(client.getMe({}));
      const requestId = error.metadata.get(requestIdHeader) ?? "";
      expect(requestId).toMatch(requestIdPattern);
      expect(error.code).toBe(Code.Internal);
      expect(error.rawMessage).toBe(`internal error (request id ${requestId})`);
      expect(JSON.stringify(error.details)).not.toContain("BAL#");
      expect(lines).toEqual([
        expect.objectContaining({ request_id: requestId, detail: "BAL#USD lacks available" }),
      ]);
    }
  });

  it("hides the message of any unexpected exception", async () => {
    const { client } = serve(() => {
      throw new Error("connect ECONNREFUSED 10.0.0.7:6379");
    });
    const error = await rpcError(client.getMe({}));
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).not.toContain("ECONNREFUSED");
  });

  it("passes a client error through with its message, tagged with the request id, and logs nothing", async () => {
    const { client, lines } = serve(() => {
      throw new ConnectError("amount must be positive", Code.InvalidArgument);
    });
    const error = await rpcError(client.getMe({}));
    expect(error).toMatchObject({ code: Code.InvalidArgument, rawMessage: "amount must be positive" });
    expect(error.metadata.get(requestIdHeader)).toMatch(requestIdPattern);
    expect(lines).toEqual([]);
  });

  it("gives every call its own id, visible to the handler and returned in a response header", async () => {
    const seen: string[] = [];
    const { client } = serve((requestId) => seen.push(requestId));
    const headers: string[] = [];
    for (let call = 0; call < 2; call += 1) {
      await client.getMe({}, { onHeader: (header) => headers.push(header.get(requestIdHeader) ?? "") });
    }
    expect(headers).toEqual(seen);
    expect(new Set(seen).size).toBe(2);
    expect(seen[0]).toMatch(requestIdPattern);
  });
});
