import { describe, expect, it } from "vitest";
import { localCredentials } from "./client.js";

describe("localCredentials", () => {
  const local = { region: "us-east-1", endpoint: "http://127.0.0.1:8000" };

  it("gives dummy credentials for an endpoint when the environment has none", () => {
    expect(localCredentials(local, {})).toEqual({ accessKeyId: "local", secretAccessKey: "local" });
  });

  it("leaves credentials to the SDK when the environment has some, or without an endpoint", () => {
    expect(localCredentials(local, { AWS_ACCESS_KEY_ID: "AKIA" })).toBeUndefined();
    expect(localCredentials(local, { AWS_PROFILE: "dev" })).toBeUndefined();
    expect(localCredentials({ region: "us-east-1" }, {})).toBeUndefined();
  });
});
