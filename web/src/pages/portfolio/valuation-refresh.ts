/**
 * How often the portfolio and balances are read again while shown. Valuations follow reference prices, which
 * change without any event of the user's, so there is no stream to wait for; a fill shows within this time.
 */
export const valuationRefreshMs = 10_000;
