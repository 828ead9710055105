/**
 * A CPU profile of another Node process, taken through its inspector (`--inspect`) over a WebSocket on
 * loopback, and summed up by package: where the process spent its CPU while the load ran.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** The part of V8's `Profiler.Profile` the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

export interface RunningProfile {
  stop(): Promise<CpuProfile>;
}

/** Starts V8's sampling profiler in the process whose inspector listens at `inspectorUrl`. */
export async function startCpuProfile(inspectorUrl: string): Promise<RunningProfile> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", () => reject(new Error(`no inspector at ${inspectorUrl}`)), {
      once: true,
    });
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id === undefined) return;
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const post = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 500 });
  await post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await post("Profiler.stop")) as { profile: CpuProfile };
      socket.close();
      return profile;
    },
  };
}

const repositoryRoot = new URL("../..", import.meta.url).href;

/** The package a frame belongs to: `@scope/name` under node_modules, `@bourse/<dir>` in this repository. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(V8 builtins and native)";
  if (url.startsWith("node:")) {
    const [first = "", second = ""] = url.slice("node:".length).split("/");
    return `node:${first === "internal" ? second.replace(/\.js$/, "") : first}`;
  }
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const [scope = "", name = ""] = url.slice(modules + "/node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (url.startsWith(repositoryRoot)) {
    const [top = "", name = ""] = url.slice(repositoryRoot.length).split("/");
    if (top === "services" || top === "gateway") return `@bourse/${top === "gateway" ? "gateway" : name}`;
    if (top === "proto") return "@bourse/proto";
    return top;
  }
  return url;
}

const fileOf = (frame: CallFrame) => {
  const modules = frame.url.lastIndexOf("/node_modules/");
  if (modules >= 0) return frame.url.slice(modules + "/node_modules/".length);
  return frame.url.startsWith(repositoryRoot) ? frame.url.slice(repositoryRoot.length) : frame.url;
};

export interface ProfileSummary {
  readonly sampledMs: number;
  /** Self time by package (a native frame charged to its JavaScript caller's), largest first, in milliseconds. */
  readonly packages: ReadonlyArray<readonly [string, number]>;
  /** Self time by function, largest first. */
  readonly functions: ReadonlyArray<readonly [string, number]>;
  /** Time on the stack (self and callees) of this repository's functions, largest first. */
  readonly bourseInclusive: ReadonlyArray<readonly [string, number]>;
}

/** Self time per package and function, and inclusive time of the repository's own functions. */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const sampleMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);

  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);

  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (into: Map<string, number>, key: string, ms: number) =>
    into.set(key, (into.get(key) ?? 0) + ms);
  // tsx runs the repository's TypeScript compiled onto a single line: its line numbers say nothing.
  const label = (frame: CallFrame) =>
    `${frame.functionName || "(anonymous)"}  ${fileOf(frame)}${frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ""}`;

  /** A native frame (a builtin, a binding) stands for the JavaScript that called it. */
  const callerOf = (id: number): CallFrame | undefined => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame?.url) return frame;
    }
    return undefined;
  };

  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    const ms = count * sampleMs;
    const { callFrame } = node;
    const native = callFrame.url === "" && !callFrame.functionName.startsWith("(");
    const caller = native ? callerOf(id) : undefined;
    add(packages, packageOf(caller ?? callFrame), ms);
    add(
      functions,
      caller ? `${callFrame.functionName} (native) from ${label(caller)}` : label(callFrame),
      ms,
    );
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame?.url.startsWith(repositoryRoot) || frame.url.includes("/node_modules/")) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, ms);
    }
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    sampledMs: profile.samples.length * sampleMs,
    packages: sorted(packages),
    functions: sorted(functions),
    bourseInclusive: sorted(inclusive),
  };
}

/** A short table: the top packages by self time, then the top functions, then the repository's hot paths. */
export function profileTable(summary: ProfileSummary, rows = 12): string[] {
  const total = summary.sampledMs || 1;
  const busy = summary.packages.filter(([name]) => name !== "(idle)").reduce((sum, [, ms]) => sum + ms, 0);
  const share = (ms: number) => `${((ms / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `  CPU profile of the exchange process: ${(summary.sampledMs / 1000).toFixed(1)} s sampled, ${share(busy).trim()} busy`,
    "  self time by package:",
  ];
  for (const [name, ms] of summary.packages.slice(0, rows)) {
    lines.push(`    ${share(ms)}  ${name}`);
  }
  lines.push("  top functions by self time:");
  for (const [name, ms] of summary.functions.filter(([name]) => !name.startsWith("(idle)")).slice(0, rows)) {
    lines.push(`    ${share(ms)}  ${name}`);
  }
  lines.push("  Bourse functions by inclusive time (self + callees, synchronous part):");
  for (const [name, ms] of summary.bourseInclusive.slice(0, rows)) {
    lines.push(`    ${share(ms)}  ${name}`);
  }
  return lines;
}
