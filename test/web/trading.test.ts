/**
 * The web app in a real browser (issue #12, "Must show"): apt's Chromium, driven by playwright-core, against
 * the real `npm start` (one process per service, the market maker quoting) serving the built app. One
 * customer registers, funds the account, rests an order and cancels it, is stopped by a bad quantity,
 * trades against the market maker, logs out and logs back in with the keyboard alone, as a person would:
 * by the labels and roles on the screen, navigating inside the app (the session lives in memory, so a
 * reload would sign out). Every screen visited is audited with axe-core, and the trade page is
 * photographed at 1440 and 375 pixels wide.
 */
import { mkdir } from "node:fs/promises";
import type { Market } from "@bourse/proto/bourse/inventory/v1/market_pb";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AccessibilityViolation, auditAccessibility } from "./support/accessibility.js";
import { amountPattern } from "./support/amount-pattern.js";
import { chromiumMissing, launchChromium } from "./support/chromium.js";
import { crossingBuyPrice, restingBuyPrice, smallestQuantity } from "./support/order-sizes.js";
import { watchPageProblems } from "./support/page-problems.js";
import { ensureWebBuild, startWebStack, type WebStack } from "./support/web-stack.js";

const MARKET = "BTC-USD";
const DEPOSIT_USD = "100000";
const EMAIL = "ada@bourse.example";
const PASSWORD = "a quiet harbour at dawn 42";
const SCREENSHOTS = new URL("../../web/test-results/", import.meta.url).pathname;
/** How long the screen may take to show what a step expects: it bounds a broken run, it measures nothing. */
const SCREEN_TIMEOUT_MS = 20_000;

const missing = chromiumMissing();
const inCi = Boolean(process.env.CI) && process.env.CI !== "false";
if (missing && !inCi) console.warn(`test/web skipped: ${missing}. In CI (CI=true) this is a failure.`);

/** Each step waits on the screen, up to SCREEN_TIMEOUT_MS a wait, on a machine busy with the rest of `npm test`. */
const STEP_TIMEOUT_MS = 120_000;

describe.skipIf(missing !== undefined && !inCi)(
  "the web app in Chromium, on npm start",
  { timeout: STEP_TIMEOUT_MS },
  () => {
    let browser: Browser;
    let stack: WebStack;
    let page: Page;
    let market: Market;
    let pageProblems: () => string[];
    const violations: AccessibilityViolation[] = [];
    let restingPrice: string;
    /** PlaceOrder requests the page sent. */
    let placeOrderCalls = 0;

    /** Runs axe-core on the screen as it is now; a test near the end reports what every audit found. */
    const audit = async (screen: string) => {
      violations.push(...(await auditAccessibility(page, screen)));
    };

    const region = (name: string) => page.getByRole("region", { name, exact: true });
    const link = (name: string) => page.getByRole("link", { name, exact: true });
    const button = (name: string, within: Page | Locator = page) =>
      within.getByRole("button", { name, exact: true });
    /** The table cells showing `decimal`, however the screen formats it. */
    const cellsShowing = (decimal: string, within: Page | Locator = page) =>
      within.getByRole("cell").filter({ hasText: amountPattern(decimal) });
    /** The rows of a region's table with a cell showing `decimal`. */
    const rowsShowing = (name: string, decimal: string) =>
      region(name)
        .getByRole("row")
        .filter({ has: cellsShowing(decimal) });

    /** Follows a link of the app's header, as a person would, and waits for its page's heading. */
    const open = async (name: string, heading: string | RegExp = name) => {
      await page.getByRole("banner").getByRole("link", { name, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    };

    beforeAll(async () => {
      browser = await launchChromium();
      await ensureWebBuild();
      stack = await startWebStack();
      market = await stack.market(MARKET);
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      context.setDefaultTimeout(SCREEN_TIMEOUT_MS);
      page = await context.newPage();
      pageProblems = watchPageProblems(page);
      page.on("request", (request) => {
        if (request.url().endsWith("/bourse.orders.v1.OrderService/PlaceOrder")) placeOrderCalls += 1;
      });
    }, 600_000);

    /** The screen as a failed step left it, for whoever reads the failure (CI keeps nothing else of the page). */
    afterEach(async ({ task }) => {
      if (task.result?.state !== "fail" || !page) return;
      await mkdir(SCREENSHOTS, { recursive: true });
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await page.screenshot({ path: `${SCREENSHOTS}failed-${name}.png`, fullPage: true });
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it("registers a customer after a validation message for a bad email, and is then signed in", async () => {
      await page.goto(stack.url);
      await link(MARKET).waitFor();
      await audit("markets, signed out");
      await link("Register").click();
      await page.getByRole("heading", { level: 1, name: "Register" }).waitFor();
      await page.getByLabel("Email").fill("not an email");
      await button("Register").click();
      await expect
        .poll(() => page.getByLabel("Email").getAttribute("aria-invalid"), { timeout: SCREEN_TIMEOUT_MS })
        .toBe("true");
      await audit("register, with validation messages");
      await page.getByLabel("Email").fill(EMAIL);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByLabel("Display name").fill("Ada");
      await button("Register").click();
      await button("Log out").waitFor();
      expect(await link("Log in").count()).toBe(0);
    });

    it("deposits US dollars on the account page", async () => {
      await open("Account");
      await page.getByLabel("Asset").selectOption("USD");
      await page.getByLabel("Amount").fill(DEPOSIT_USD);
      await button("Deposit").click();
      await rowsShowing("Balances", DEPOSIT_USD).filter({ hasText: "USD" }).first().waitFor();
      await audit("account");
    });

    it("places a limit buy that rests, sees it in the book and in open orders, and cancels it", async () => {
      await open("Markets");
      await link(MARKET).click();
      await page.waitForURL(`**/trade/${MARKET}`);
      const best = await stack.quoted(MARKET);
      restingPrice = restingBuyPrice(best.bid, market);
      await placeLimitBuy(restingPrice, smallestQuantity(restingPrice, market));
      const openRow = rowsShowing("Open orders", restingPrice);
      await openRow.first().waitFor();
      await cellsShowing(restingPrice, region("Order book")).first().waitFor();
      await audit("trade, with an open order");

      await button("Cancel", openRow.first()).click();
      await openRow.first().waitFor({ state: "detached" });
      await cellsShowing(restingPrice, region("Order book")).first().waitFor({ state: "detached" });
      await rowsShowing("Order history", restingPrice)
        .filter({ hasText: /cancel/i })
        .first()
        .waitFor();
    });

    it("shows a validation error for a quantity finer than the lot, and places nothing", async () => {
      const placed = placeOrderCalls;
      expect(placed).toBe(1);
      const badQuantity = `${market.lotSize}1`;
      await placeLimitBuy(restingPrice, badQuantity);
      await orderForm().getByRole("alert").filter({ hasText: /lot/i }).first().waitFor();
      expect(await orderForm().getByLabel("Quantity").getAttribute("aria-invalid")).toBe("true");
      await audit("trade, with a validation error");
      expect(placeOrderCalls).toBe(placed);
    });

    it("crosses the market maker's best ask: the fill shows in the trades tape, the balances and the portfolio", async () => {
      const best = await stack.quoted(MARKET);
      const price = crossingBuyPrice(best.ask, market);
      const quantity = smallestQuantity(price, market);

      await placeLimitBuy(price, quantity);
      await rowsShowing("Trades", quantity).first().waitFor();
      await rowsShowing("Order history", price)
        .filter({ hasText: /filled/i })
        .first()
        .waitFor();
      await audit("trade, after a fill");

      await open("Account");
      await rowsShowing("Balances", quantity).filter({ hasText: market.base }).first().waitFor();
      await open("Portfolio");
      await rowsShowing("Holdings", quantity).filter({ hasText: market.base }).first().waitFor();
      await audit("portfolio");
    });

    it("opens the other pages of a customer: dashboard, assets and profile", async () => {
      await open("Dashboard");
      await region("Balances").getByRole("row").filter({ hasText: market.base }).first().waitFor();
      await audit("dashboard");
      await open("Assets");
      await page.getByRole("rowheader", { name: market.base }).first().waitFor();
      await audit("assets");
      await open("Profile");
      await audit("profile");
    });

    it("saves screenshots of the trade page at 1440 and 375 pixels wide, which fits without scrolling sideways", async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      await open("Trade", MARKET);
      await region("Order book")
        .getByText(/^Spread /)
        .waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}trade-1440.png`, fullPage: true });
      try {
        await page.setViewportSize({ width: 375, height: 812 });
        await audit("trade, 375 pixels wide");
        await page.screenshot({ path: `${SCREENSHOTS}trade-375.png`, fullPage: true });
        const pageWidth = await page.locator("html").evaluate((html) => html.scrollWidth);
        expect(pageWidth).toBeLessThanOrEqual(375);
      } finally {
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    });

    it("logs out: the login page shows, the private links go, and trading asks to log in", async () => {
      await button("Log out").click();
      await page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();
      await audit("login");
      expect(await button("Log out").count()).toBe(0);
      expect(await link("Account").count()).toBe(0);
      await open("Trade", MARKET);
      await link("Log in to trade").waitFor();
      expect(await orderForm().count()).toBe(0);
    });

    it("logs in again with the keyboard alone, and finds the balances kept", async () => {
      await link("Log in").click();
      await page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();
      await page.getByLabel("Email").focus();
      await page.keyboard.type(EMAIL);
      await page.keyboard.press("Tab");
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Enter");
      await button("Log out").waitFor();
      await open("Account");
      await region("Balances").getByRole("row").filter({ hasText: market.base }).first().waitFor();
    });

    it("has no serious or critical accessibility violations on any screen visited", () => {
      expect(violations).toEqual([]);
    });

    it("raised no uncaught error and broke no Content-Security-Policy rule", () => {
      expect(pageProblems()).toEqual([]);
    });

    /** The trade page's order entry form. */
    const orderForm = () => page.getByRole("form", { name: "Place order", exact: true });

    /** Fills the order form for a GTC limit buy and submits it. */
    async function placeLimitBuy(price: string, quantity: string) {
      const form = orderForm();
      await button("Buy", form.getByRole("group", { name: "Side" })).click();
      await form.getByLabel("Order type").selectOption("limit");
      await form.getByLabel("Time in force").selectOption("GTC");
      await form.getByLabel("Price").fill(price);
      await form.getByLabel("Quantity").fill(quantity);
      await button(`Buy ${market.base}`, form).click();
    }
  },
);
