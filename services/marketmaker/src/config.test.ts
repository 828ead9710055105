import { problemsOf } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { loadMarketMakerConfig } from "./config.js";

const generated = () => "generated-password-for-this-run";

describe("loadMarketMakerConfig", () => {
  it("quotes a few USD markets by default, funding itself and with a generated password in development", () => {
    const config = loadMarketMakerConfig({}, generated);
    expect(config).toMatchObject({
      MARKETMAKER_ENABLED: true,
      MARKETMAKER_MARKETS: ["BTC-USD", "ETH-USD", "SOL-USD"],
      MARKETMAKER_LEVELS: 5,
      MARKETMAKER_PASSWORD: "generated-password-for-this-run",
      generatedPassword: true,
      funding: true,
    });
  });

  it("reads a market list with spaces and lower case", () => {
    const config = loadMarketMakerConfig({ MARKETMAKER_MARKETS: " btc-usd, XRP-USD ," }, generated);
    expect(config.MARKETMAKER_MARKETS).toEqual(["BTC-USD", "XRP-USD"]);
  });

  it("refuses a ladder whose deepest bid would reach zero, a bad market and a bad notional", () => {
    expect(
      problemsOf(() =>
        loadMarketMakerConfig(
          {
            MARKETMAKER_LEVELS: "50",
            MARKETMAKER_SPREAD_BPS: "5000",
            MARKETMAKER_STEP_BPS: "200",
          },
          generated,
        ),
      ),
    ).toEqual([expect.stringMatching(/^MARKETMAKER_STEP_BPS: the deepest bid would be at or below zero/)]);
    expect(
      problemsOf(() => loadMarketMakerConfig({ MARKETMAKER_MARKETS: "BTCUSD" }, generated)),
    ).toHaveLength(1);
    expect(
      problemsOf(() => loadMarketMakerConfig({ MARKETMAKER_LEVEL_NOTIONAL: "1e3" }, generated)),
    ).toHaveLength(1);
    expect(
      problemsOf(() => loadMarketMakerConfig({ MARKETMAKER_LEVEL_NOTIONAL: "0" }, generated)),
    ).toHaveLength(1);
  });

  it("refuses to start in production without a password, and never funds itself there", () => {
    const production = { BOURSE_ENV: "production" };
    expect(problemsOf(() => loadMarketMakerConfig(production, generated))).toEqual([
      expect.stringMatching(/^MARKETMAKER_PASSWORD: unset/),
    ]);
    const config = loadMarketMakerConfig(
      { ...production, MARKETMAKER_PASSWORD: "a password from a secret" },
      generated,
    );
    expect(config).toMatchObject({ generatedPassword: false, funding: false });
    const off = loadMarketMakerConfig({ ...production, MARKETMAKER_ENABLED: "false" }, generated);
    expect(off.MARKETMAKER_ENABLED).toBe(false);
  });
});
