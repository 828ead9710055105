import { displayUsd } from "../../lib/display-decimal.ts";
import { changeDirection, directionClass } from "../markets/ticker-table.ts";

/** A signed USD profit or loss, coloured, with the sign written out for those who cannot see the colour. */
export function PnlFigure({ value }: { value: string }) {
  const direction = changeDirection(value);
  const text = displayUsd(value);
  return <span className={directionClass(direction)}>{direction === "up" ? `+${text}` : text}</span>;
}
