import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { toConnectError } from "./errors.js";
import { StoreLimitError, StoreValidationError } from "./storage/errors.js";

describe("toConnectError", () => {
  it("answers the store's size limits as invalid_argument without the store's own message", () => {
    const error = toConnectError(
      new StoreLimitError("itemSize", "Item size has exceeded the maximum allowed size"),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("the request is too large to store");
    expect(toConnectError(new StoreLimitError("keySize", "PK#... over 2048 bytes")).code).toBe(
      Code.InvalidArgument,
    );
  });

  it("keeps other store validation errors internal: they are the service's own mistakes", () => {
    expect(toConnectError(new StoreValidationError("an update must change something")).code).toBe(
      Code.Internal,
    );
  });
});
