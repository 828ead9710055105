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
}

/** CPU used by the measured processes, the bench itself and the whole machine over one window, as shares of one core. */
export function cpuWindow(watched: readonly Watched[]) {
  const bench = process.cpuUsage();
  const before = watched.map(({ pid }) => processCpuSeconds(pid));
  const machine = machineCpuSeconds();
  const started = performance.now();
  return () => {
    const wall = (performance.now() - started) / 1000;
    const benchUsed = process.cpuUsage(bench);
    const processes = watched.map(({ name, pid }, index) => {
      const now = processCpuSeconds(pid);
      const then = before[index];
      return `${name} ${share(now !== undefined && then !== undefined ? now - then : undefined, wall)}, `;
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
