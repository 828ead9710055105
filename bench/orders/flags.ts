/** A bench flag that must be a positive integer; a bad one stops the bench with a message naming it. */
export function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer, not ${text}`);
  }
  return value;
}
