import type { ReactNode } from "react";

/**
 * A wide table's box: on a narrow screen the table scrolls sideways inside it rather than widening the page.
 * Focusable, so keyboard users can scroll it too, and named, so screen readers say what it holds.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable box must take focus to be scrolled by keyboard
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
