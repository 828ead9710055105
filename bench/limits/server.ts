/**
 * The measured side of `npm run bench:limits`: one users service (embedded store) started with the
 * environment the parent gives, reporting its own CPU time, peak RSS, event-loop delay and thread-pool
 * latency (`dns.lookup`, `fs.stat`) between a `begin` and an `end` message.
 */
import { lookup } from "node:dns/promises";
import { stat } from "node:fs/promises";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { startService } from "@bourse/common";
import { MemoryStore } from "@bourse/common/storage";
import { createUsersService } from "../../services/users/src/index.js";

export type ToServer = { kind: "begin" } | { kind: "end" } | { kind: "stop" };

export interface Distribution {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface Measurement {
  readonly cpuMs: number;
  readonly peakRssGrowthMiB: number;
  readonly eventLoopDelayMs: Distribution;
  readonly dnsLookupMs: Distribution;
  readonly fsStatMs: Distribution;
}

export type FromServer = { kind: "ready"; rpcUrl: string } | { kind: "measured"; measurement: Measurement };

const MiB = 1024 * 1024;
const send = (message: FromServer) => process.send?.(message);

function distribution(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

/** Times one thread-pool job after another until `stopped`; each waits behind whatever fills the pool. */
async function probe(job: () => Promise<unknown>, samples: number[], stopped: () => boolean) {
  while (!stopped()) {
    const start = performance.now();
    await job();
    samples.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Everything one `begin`..`end` window records. */
function startWindow() {
  const cpu = process.cpuUsage();
  const rssBefore = process.memoryUsage().rss;
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let sampledPeak = rssBefore;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 2);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let stopped = false;
  const dns: number[] = [];
  const fs: number[] = [];
  const probes = Promise.all([
    probe(
      () => lookup("localhost"),
      dns,
      () => stopped,
    ),
    probe(
      () => stat(import.meta.filename),
      fs,
      () => stopped,
    ),
  ]);
  return async (): Promise<Measurement> => {
    stopped = true;
    await probes;
    clearInterval(sampler);
    delay.disable();
    const maxRssAfter = process.resourceUsage().maxRSS * 1024;
    // A new high-water mark was set inside the window: it is the exact peak. Otherwise the samples are.
    const peak = maxRssAfter > maxRssBefore ? maxRssAfter : sampledPeak;
    const used = process.cpuUsage(cpu);
    return {
      cpuMs: (used.user + used.system) / 1000,
      peakRssGrowthMiB: Math.max(0, peak - rssBefore) / MiB,
      eventLoopDelayMs: {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
      },
      dnsLookupMs: distribution(dns),
      fsStatMs: distribution(fs),
    };
  };
}

const env = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined));
const service = await startService(createUsersService(), { env, store: new MemoryStore() });
let endWindow: (() => Promise<Measurement>) | undefined;

process.on("message", async (message: ToServer) => {
  switch (message.kind) {
    case "begin":
      endWindow = startWindow();
      break;
    case "end":
      if (endWindow) send({ kind: "measured", measurement: await endWindow() });
      break;
    case "stop":
      await service.stop();
      process.exit(0);
  }
});
send({ kind: "ready", rpcUrl: service.rpcUrl });
