import { useId } from "react";
import { type AllocationSlice, basisPointsToPercent } from "./allocation.ts";

/** Enough distinct hues for the chart's slices, chosen to read on the dark background. */
const palette = ["#4c9aff", "#36b37e", "#ffab00", "#ff5630", "#6554c0", "#00b8d9", "#8993a4"];

const radius = 15.9155; // circumference ≈ 100, the usual donut trick; pathLength makes it exact anyway
const fullCircle = 10_000;

/**
 * The portfolio's allocation as a donut: each slice is a stroked arc of one circle, its length in basis points
 * of the circle (pathLength), so the geometry needs no trigonometry and takes no float from a money figure.
 */
export function AllocationChart({ slices }: { slices: readonly AllocationSlice[] }) {
  const titleId = useId();
  if (slices.length === 0) return <p>Nothing priced to allocate yet.</p>;
  let offset = 0;
  const arcs = slices.map((slice, index) => {
    const arc = { ...slice, offset, color: palette[index % palette.length] };
    offset += slice.basisPoints;
    return arc;
  });
  const summary = slices
    .map((slice) => `${slice.label} ${basisPointsToPercent(slice.basisPoints)}%`)
    .join(", ");

  return (
    <figure className="allocation">
      <svg viewBox="0 0 42 42" width="180" height="180" role="img" aria-labelledby={titleId}>
        <title id={titleId}>Allocation: {summary}</title>
        <circle cx="21" cy="21" r={radius} fill="none" stroke="var(--surface-2, #2a2f3a)" strokeWidth="6" />
        {arcs.map((arc) => (
          <circle
            key={arc.label}
            cx="21"
            cy="21"
            r={radius}
            fill="none"
            stroke={arc.color}
            strokeWidth="6"
            pathLength={fullCircle}
            strokeDasharray={`${arc.basisPoints} ${fullCircle - arc.basisPoints}`}
            strokeDashoffset={-arc.offset}
            transform="rotate(-90 21 21)"
          />
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {arcs.map((arc) => (
            <li key={arc.label}>
              <svg width="10" height="10" aria-hidden="true" focusable="false">
                <rect width="10" height="10" fill={arc.color} />
              </svg>{" "}
              {arc.label} <span className="num">{basisPointsToPercent(arc.basisPoints)}%</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
