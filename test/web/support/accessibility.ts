import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** axe-core's browser build, evaluated in the page: over the DevTools protocol, so the page's CSP allows it. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The impacts the browser tests refuse; axe's "minor" and "moderate" are reported by axe alone. */
const refusedImpacts = new Set(["serious", "critical"]);

export interface AccessibilityViolation {
  /** Which screen, as the test named it. */
  readonly screen: string;
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the offending elements (the first few). */
  readonly targets: readonly string[];
}

interface AxeResults {
  violations: Array<{
    id: string;
    impact?: string | null;
    help: string;
    nodes: Array<{ target: unknown[] }>;
  }>;
}

/** Runs axe-core on the page as it is now and returns its serious and critical violations. */
export async function auditAccessibility(page: Page, screen: string): Promise<AccessibilityViolation[]> {
  const injected = await page.evaluate(() => "axe" in globalThis);
  if (!injected) await page.evaluate(axeSource);
  const results = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(options: object): Promise<unknown> } }).axe.run({
      resultTypes: ["violations"],
    }),
  )) as AxeResults;
  return results.violations
    .filter((violation) => refusedImpacts.has(violation.impact ?? ""))
    .map((violation) => ({
      screen,
      rule: violation.id,
      impact: violation.impact ?? "",
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(" ")),
    }));
}
