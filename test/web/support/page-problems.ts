import type { Page } from "playwright-core";

/**
 * What went wrong inside the page that the screen may not show: uncaught exceptions, and anything the
 * gateway's Content-Security-Policy refused (an inline script or style the build let through would work
 * under Vite's dev server and break only behind the gateway).
 */
export function watchPageProblems(page: Page): () => string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  return () => [...problems];
}
