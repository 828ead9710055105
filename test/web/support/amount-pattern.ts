/**
 * A pattern matching a decimal as a screen may show it: with or without thousands separators, and with
 * any number of trailing fractional zeros ("30000" matches "30,000.00"), but never inside a longer number
 * ("30000" does not match "130,000" nor "30,000.5").
 */
export function amountPattern(decimal: string): RegExp {
  const [integer = "", fraction = ""] = decimal.split(".");
  const significant = fraction.replace(/0+$/, "");
  const groups: string[] = [];
  for (let end = integer.length; end > 0; end -= 3) groups.unshift(integer.slice(Math.max(0, end - 3), end));
  const whole = groups.join(",?");
  const decimals = significant ? `\\.${significant}0*` : "(?:\\.0+)?";
  return new RegExp(`(?<![\\d.,])${whole}${decimals}(?![\\d]|[.,]\\d)`);
}
