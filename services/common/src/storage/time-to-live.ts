/**
 * The table's time-to-live attribute: a number of epoch seconds after which DynamoDB deletes the item
 * (within a few days, so readers still check expiry themselves). `npm run db:init` enables it. Any item
 * carrying this attribute as a number is deleted then, so it holds nothing else; other kinds of
 * deadline are stored under other names. The memory store keeps such items (it deletes nothing).
 */
export const TIME_TO_LIVE_ATTRIBUTE = "expiresAt";

/** The time-to-live value of an instant: epoch seconds, rounded up so an item never goes early. */
export const timeToLiveOf = (instant: Date): number => Math.ceil(instant.getTime() / 1000);
