import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

function collector() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("createLogger", () => {
  it("writes JSON lines by default, with secrets redacted", () => {
    const { stream, text } = collector();
    createLogger("users", { destination: stream }).info({ password: "hunter2", asset: "BTC" }, "deposit");
    const line = JSON.parse(text());
    expect(line).toMatchObject({ service: "users", msg: "deposit", asset: "BTC", password: "[redacted]" });
  });

  it("writes one readable line per entry in the pretty format, secrets still redacted", () => {
    const { stream, text } = collector();
    const logger = createLogger("inventory", { format: "pretty", destination: stream });
    logger.warn({ outcome: "network_error", accessToken: "eyJ.secret" }, "CoinGecko unreachable");
    const output = text();
    expect(output).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: inventory: CoinGecko unreachable .*"network_error"/,
    );
    expect(output.trimEnd().split("\n")).toHaveLength(1);
    expect(output).not.toContain("eyJ.secret");
  });
});
