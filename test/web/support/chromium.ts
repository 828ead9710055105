import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** apt's Chromium, which `.ci/run` installs when it is missing: playwright-core downloads no browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless, and quiet: no sandbox (CI runs as root), no GPU, and nothing fetched from outside the machine. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
];

/** Why the browser tests cannot run here, or undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch {
    return `no Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install chromium\`, as .ci/run does)`;
  }
}

export function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(`the browser tests need Chromium: ${missing}`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
