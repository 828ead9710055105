/**
 * How often the portfolio is valued again while shown. Valuations follow reference prices and last trades,
 * which change without any event of the user's; the user's own fills refresh it at once
 * (useRefreshOnOrderEvents).
 */
export const valuationRefreshMs = 10_000;
