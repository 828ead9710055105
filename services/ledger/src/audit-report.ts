import { formatDecimal } from "@bourse/common/money";
import type { AuditReport } from "./audit.js";

/** The audit as a per-asset table followed by its findings, for a terminal. */
export function formatAuditReport(report: AuditReport): string {
  const header = ["asset", "accounts", "available", "held", "open holds", "deposited", "withdrawn", "status"];
  const rows = report.assets.map((asset) => {
    const amount = (units: bigint) => formatDecimal(units, asset.scale);
    const balanced =
      asset.available + asset.held === asset.deposited - asset.withdrawn && asset.held === asset.reserved;
    return [
      asset.asset,
      String(asset.accounts),
      amount(asset.available),
      amount(asset.held),
      amount(asset.reserved),
      amount(asset.deposited),
      amount(asset.withdrawn),
      balanced ? "ok" : "MISMATCH",
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  const lines = [line(header), ...rows.map(line)];
  lines.push("", `${report.accounts} accounts, ${report.assets.length} assets`);
  if (report.ok) lines.push("ledger balances: conservation and holds hold for every asset");
  else
    lines.push(
      `${report.discrepancies.length} discrepancies:`,
      ...report.discrepancies.map((d) => `  - ${d}`),
    );
  return lines.join("\n");
}
