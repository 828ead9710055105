/** SetMarketStatus's rule for a halt: a reason shown to traders, 1 to 200 characters. */
const maxReasonLength = 200;

export function haltReasonProblem(reason: string): string | undefined {
  const trimmed = reason.trim();
  if (trimmed === "") return "Give a reason for the halt; traders will see it.";
  if ([...trimmed].length > maxReasonLength) return `Use at most ${maxReasonLength} characters.`;
  return undefined;
}
