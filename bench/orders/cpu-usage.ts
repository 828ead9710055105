import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** Linux reports CPU time in clock ticks, 100 per second on every common configuration. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) process `pid` used so far, in seconds; undefined where /proc is missing. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime is 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The processes `pid` started that still run, and theirs in turn, from /proc's children lists. */
function descendantsOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const listed = readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8").trim();
      if (listed !== "") children.push(...listed.split(" ").map(Number));
    }
  } catch {
    // The process ended while its children were read, or there is no /proc.
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

/**
 * CPU time of `pid` and every process below it that runs now (`npm start`'s launcher and its services), in
 * seconds. A child that exits in between takes its time with it: only for windows in which none does.
 */
function processTreeCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const own = processCpuSeconds(pid);
  if (own === undefined) return undefined;
  return descendantsOf(pid).reduce((sum, child) => sum + (processCpuSeconds(child) ?? 0), own);
}

/** CPU seconds the whole machine spent busy and in total (all cores) so far; undefined without /proc. */
export function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const [cpu = ""] = readFileSync("/proc/stat", "utf8").split("\n");
    const ticks = cpu.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** The process of the DynamoDB Local (a JVM, started by a launcher) listening on `port`, found in /proc. */
export function dynamoDbLocalPid(port: number): number | undefined {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        const portAt = args.indexOf("-port");
        if (args.some((arg) => arg.includes("DynamoDBLocal.jar")) && args[portAt + 1] === String(port)) {
          return Number(entry);
        }
      } catch {
        // The process ended while the list was read.
      }
    }
  } catch {
    // No /proc.
  }
  return undefined;
}

const share = (part: number | undefined, whole: number) =>
  part === undefined ? "?" : `${Math.round((part / whole) * 100)}%`;

/** A process whose CPU a window reports. */
export interface Watched {
  readonly name: string;
  readonly pid: number | undefined;
  /** Counts the processes below it too (`npm start` running one process per service). */
  readonly withDescendants?: boolean;
}

/** CPU time the watched process (and, if asked, those below it) used so far, in seconds. */
export const cpuSecondsOf = ({ pid, withDescendants }: Watched): number | undefined =>
  withDescendants ? processTreeCpuSeconds(pid) : processCpuSeconds(pid);

/** CPU used by the measured processes, the bench itself and the whole machine over one window, as shares of one core. */
export function cpuWindow(watched: readonly Watched[]) {
  const bench = process.cpuUsage();
  const before = watched.map(cpuSecondsOf);
  const machine = machineCpuSeconds();
  const started = performance.now();
  return () => {
    const wall = (performance.now() - started) / 1000;
    const benchUsed = process.cpuUsage(bench);
    const processes = watched.map((one, index) => {
      const now = cpuSecondsOf(one);
      const then = before[index];
      return `${one.name} ${share(now !== undefined && then !== undefined ? now - then : undefined, wall)}, `;
    });
    const machineNow = machineCpuSeconds();
    const machineBusy = machine && machineNow ? machineNow.busy - machine.busy : undefined;
    const cores = machine && machineNow ? (machineNow.total - machine.total) / wall : undefined;
    return (
      `  CPU over the window (100% = one core): ${processes.join("")}` +
      `bench client ${share((benchUsed.user + benchUsed.system) / 1e6, wall)}, ` +
      `whole machine ${share(machineBusy, wall)} of ${cores ? Math.round(cores) : "?"} cores`
    );
  };
}
