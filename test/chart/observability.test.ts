/**
 * The chart's observability objects: the ServiceMonitor and PrometheusRule validate against the
 * prometheus-operator CRDs and appear only where that API exists, promtool accepts the rules, and the
 * Grafana dashboard and the rules query only metrics that the running services export.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type RunningService, startService } from "@bourse/common";
import { MemoryLockService } from "@bourse/common/locks";
import { MemoryStore } from "@bourse/common/storage";
import { freePort } from "@bourse/common/testing";
import { createGateway, type RunningGateway } from "@bourse/gateway";
import { marketMakerService } from "@bourse/marketmaker";
import { matchingService } from "@bourse/matching";
import {
  PrometheusRule,
  ServiceMonitor,
} from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayEnv } from "../gateway/support/gateway-env.js";
import {
  matchingClient,
  type OrderFlowExchange,
  startOrderFlowExchange,
  waitUntilOwned,
} from "../order-flow/support/exchange.js";
import { exportedSampleNames, metricNamesOf } from "./support/promql-metric-names.js";
import { type RenderedObject, renderChart } from "./support/render.js";

const run = promisify(execFile);
const dashboardPath = join(import.meta.dirname, "../../charts/bourse/dashboards/bourse.json");

const redis = { "redis.url": "redis://redis:6379" };
const allFlags = {
  ...redis,
  "metrics.serviceMonitor.enabled": "true",
  "prometheusRule.enabled": "true",
  "grafanaDashboard.enabled": "true",
};
const withOperatorApi = ["monitoring.coreos.com/v1"];

const ofKind = (objects: readonly RenderedObject[], kind: string) =>
  objects.filter((object) => object.kind === kind);

interface DashboardPanel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

async function dashboardQueries(): Promise<string[]> {
  const dashboard = JSON.parse(await readFile(dashboardPath, "utf8")) as { panels: DashboardPanel[] };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
}

function ruleExpressions(rule: RenderedObject): string[] {
  return rule.spec.groups.flatMap((group: { rules: { expr: string }[] }) => group.rules.map((r) => r.expr));
}

/** promtool's path, or undefined when the prometheus package is not installed. */
async function findPromtool(): Promise<string | undefined> {
  try {
    const { stdout } = await run("sh", ["-c", "command -v promtool"]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `promtool check rules` on the groups of a PrometheusRule, written as a plain rule file. */
async function promtoolCheckRules(
  promtool: string,
  groups: unknown,
): Promise<{ ok: boolean; output: string }> {
  const directory = await mkdtemp(join(tmpdir(), "bourse-rules-"));
  try {
    const file = join(directory, "rules.yaml");
    await writeFile(file, JSON.stringify({ groups }));
    const { stdout, stderr } = await run(promtool, ["check", "rules", file]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe("chart observability objects", () => {
  let withOperator: RenderedObject[];

  beforeAll(async () => {
    withOperator = await renderChart({ set: allFlags, apiVersions: withOperatorApi });
  }, 60_000);

  it("renders nothing of the kind by default", async () => {
    const objects = await renderChart({ set: redis, apiVersions: withOperatorApi });
    expect(ofKind(objects, "ServiceMonitor")).toEqual([]);
    expect(ofKind(objects, "PrometheusRule")).toEqual([]);
    expect(objects.filter((object) => object.data?.["bourse.json"] !== undefined)).toEqual([]);
  });

  it("leaves out the ServiceMonitor and PrometheusRule where the cluster has no prometheus-operator", async () => {
    const objects = await renderChart({ set: allFlags });
    expect(ofKind(objects, "ServiceMonitor")).toEqual([]);
    expect(ofKind(objects, "PrometheusRule")).toEqual([]);
    expect(objects.some((object) => object.data?.["bourse.json"] !== undefined)).toBe(true);
  });

  it("renders a ServiceMonitor and a PrometheusRule that validate against the operator's schemas", () => {
    const [monitor] = ofKind(withOperator, "ServiceMonitor");
    const [rule] = ofKind(withOperator, "PrometheusRule");
    expect(monitor).toBeDefined();
    expect(rule).toBeDefined();
    expect(() => new ServiceMonitor(monitor as never).validate()).not.toThrow();
    expect(() => new PrometheusRule(rule as never).validate()).not.toThrow();
  });

  it("scrapes /metrics on the admin port of every service's Service", () => {
    const [monitor] = ofKind(withOperator, "ServiceMonitor");
    const services = ofKind(withOperator, "Service").filter((service) =>
      service.spec.ports.some((port: { name: string }) => port.name === "admin"),
    );
    const selected = services.filter((service) => {
      const labels = service.metadata.labels ?? {};
      const matchLabels = Object.entries(monitor?.spec.selector.matchLabels as Record<string, string>);
      const components = monitor?.spec.selector.matchExpressions[0].values as string[];
      return (
        matchLabels.every(([key, value]) => labels[key] === value) &&
        components.includes(labels["app.kubernetes.io/component"] ?? "")
      );
    });
    expect(
      selected.map((service) => service.metadata.labels?.["app.kubernetes.io/component"]).sort(),
    ).toEqual(["gateway", "inventory", "marketmaker", "matching", "orders", "users"]);
    expect(monitor?.spec.jobLabel).toBe("app.kubernetes.io/component");
    for (const endpoint of monitor?.spec.endpoints ?? []) {
      expect(endpoint).toMatchObject({ path: "/metrics", honorLabels: true });
    }
    expect(monitor?.spec.endpoints.map((endpoint: { port: string }) => endpoint.port)).toEqual(["admin"]);
  });

  it("gives the dashboard ConfigMap Grafana's sidecar label and the dashboard file as it is", async () => {
    const [configMap] = withOperator.filter((object) => object.data?.["bourse.json"] !== undefined);
    expect(configMap?.kind).toBe("ConfigMap");
    expect(configMap?.metadata.labels?.grafana_dashboard).toBe("1");
    expect(configMap?.data?.["bourse.json"]).toBe((await readFile(dashboardPath, "utf8")).trimEnd());
  });

  it("has rules that promtool accepts, and promtool refuses a broken one", async () => {
    const promtool = await findPromtool();
    if (promtool === undefined) {
      throw new Error("promtool is missing: install the `prometheus` package (apt-get install prometheus)");
    }
    const [rule] = ofKind(withOperator, "PrometheusRule");
    const checked = await promtoolCheckRules(promtool, rule?.spec.groups);
    expect(checked.output).toContain("SUCCESS");
    expect(checked.ok).toBe(true);

    const broken = [{ name: "broken", rules: [{ alert: "Broken", expr: "sum by (job) (rate(x[5m])" }] }];
    expect((await promtoolCheckRules(promtool, broken)).ok).toBe(false);
  });

  it("alerts on errors, latency, matching lag, lock ownership flaps and stale prices", () => {
    const [rule] = ofKind(withOperator, "PrometheusRule");
    const alerts = rule?.spec.groups.flatMap((group: { rules: { alert: string }[] }) =>
      group.rules.map((r) => r.alert),
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        "BourseHighErrorRate",
        "BourseHighLatency",
        "BourseMatchingLag",
        "BourseLockOwnershipFlapping",
        "BourseStalePrices",
      ]),
    );
    for (const expr of ruleExpressions(rule as RenderedObject))
      expect(expr).toContain('namespace="exchange"');
  });

  it("has a dashboard whose every query reads series of the chosen namespace", async () => {
    const queries = await dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    for (const query of queries) {
      expect(metricNamesOf(query).size, query).toBeGreaterThan(0);
      /* One Prometheus may scrape several releases: every series read is of the chosen namespace. */
      const matchers = [...query.matchAll(/[a-z_:]+\{([^}]*)\}/g)].map(([, labels]) => labels);
      expect(matchers.length, query).toBeGreaterThanOrEqual(metricNamesOf(query).size);
      for (const labels of matchers) expect(labels, query).toMatch(/^namespace="\$namespace"/);
    }
  });
});

describe("chart tracing settings", () => {
  /** Each Deployment's variables, by component: its own, and those of the ConfigMaps it takes them all from. */
  function environments(objects: RenderedObject[]): Map<string, Record<string, string>> {
    const configMaps = new Map(
      ofKind(objects, "ConfigMap").map((map) => [map.metadata.name, map.data ?? {}]),
    );
    const environments = new Map<string, Record<string, string>>();
    for (const deployment of ofKind(objects, "Deployment")) {
      const component = deployment.metadata.labels?.["app.kubernetes.io/component"] ?? "";
      const [container] = deployment.spec.template.spec.containers;
      const fromMaps = (container.envFrom ?? []).map(
        (source: { configMapRef?: { name: string } }) =>
          configMaps.get(source.configMapRef?.name ?? "") ?? {},
      );
      const own = Object.fromEntries(
        (container.env ?? []).map((variable: { name: string; value?: string }) => [
          variable.name,
          variable.value,
        ]),
      );
      environments.set(component, Object.assign({}, ...fromMaps, own));
    }
    return environments;
  }

  it("points every service at otel.endpoint", async () => {
    const endpoint = "http://otel-collector.observability.svc:4318";
    const objects = await renderChart({ set: { ...redis, "otel.endpoint": endpoint } });
    const services = [...environments(objects)].filter(
      ([component]) => component !== "dynamodb-local" && component !== "redis",
    );
    expect(services.map(([component]) => component).sort()).toEqual([
      "gateway",
      "inventory",
      "marketmaker",
      "matching",
      "orders",
      "users",
    ]);
    for (const [component, env] of services) {
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT, component).toBe(endpoint);
    }
  });

  it("sets no OTLP endpoint when otel.endpoint is empty, so that no service exports traces", async () => {
    for (const [component, env] of environments(await renderChart({ set: redis }))) {
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT, component).toBeUndefined();
    }
  });
});

describe("finding the metric names of a query", () => {
  it("keeps metric names and drops functions, labels, ranges, groupings and variables", () => {
    const expr =
      'histogram_quantile(0.99, sum by (job, le) (rate(rpc_server_duration_seconds_bucket{job=~"$job",method!~"Stream.*"}[$__rate_interval]))) / on (job) group_left max(up offset 5m) > 1e3';
    expect([...metricNamesOf(expr)].sort()).toEqual(["rpc_server_duration_seconds_bucket", "up"]);
  });

  it("reads a histogram's series from its TYPE line", () => {
    const names = exportedSampleNames(
      "# HELP a_total x\n# TYPE a_total counter\n# HELP b_seconds y\n# TYPE b_seconds histogram\n",
    );
    expect([...names].sort()).toEqual(["a_total", "b_seconds_bucket", "b_seconds_count", "b_seconds_sum"]);
  });
});

describe("metrics the dashboard and rules query", () => {
  const market = "BTC-USD";
  let exchange: OrderFlowExchange;
  let matching: RunningService;
  let marketMaker: RunningService;
  let gateway: RunningGateway;

  /* Matching runs beside orders, not colocated with it, so that SubmitOrder goes over the network and
     is counted by matching's server metrics as it is in a cluster. */
  beforeAll(async () => {
    const store = new MemoryStore();
    const locks = new MemoryLockService();
    const matchingPort = await freePort();
    exchange = await startOrderFlowExchange(store, locks, {
      markets: [market],
      inProcessMatching: false,
      env: { MATCHING_URL: `http://127.0.0.1:${matchingPort}` },
    });
    const serviceEnv = {
      BIND_HOST: "127.0.0.1",
      RPC_PORT: "0",
      ADMIN_PORT: "0",
      LOG_LEVEL: "silent",
      SERVICE_CREDENTIAL: exchange.serviceCredential,
      AUTH_JWKS_URL: `${exchange.users.users.adminUrl}/.well-known/jwks.json`,
      USERS_URL: exchange.users.users.rpcUrl,
      INVENTORY_URL: exchange.users.inventory.rpcUrl,
      ORDERS_URL: exchange.orders.rpcUrl,
    };
    matching = await startService(matchingService, {
      env: {
        ...serviceEnv,
        RPC_PORT: String(matchingPort),
        MATCHING_MARKETS: market,
        MATCHING_CLAIM_STAGGER_MS: "0",
      },
      store,
      locks,
    });
    await waitUntilOwned(matchingClient(matching.rpcUrl, exchange.serviceCredential), [market]);
    marketMaker = await startService(marketMakerService, {
      env: {
        ...serviceEnv,
        MARKETMAKER_EMAIL: "market-maker@bourse.test",
        MARKETMAKER_PASSWORD: "the market maker's password 7",
        MARKETMAKER_MARKETS: market,
      },
    });
    gateway = await createGateway({ env: { ...gatewayEnv(exchange), MATCHING_URL: matching.rpcUrl } });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await marketMaker?.stop();
    await matching?.stop();
    await exchange?.stop();
  });

  /** Each service's /metrics exposition, by the job name the ServiceMonitor gives it. */
  async function scrapeAll(): Promise<Map<string, string>> {
    const adminUrls: Record<string, string> = {
      users: exchange.users.users.adminUrl,
      inventory: exchange.users.inventory.adminUrl,
      orders: exchange.orders.adminUrl,
      matching: matching.adminUrl,
      marketmaker: marketMaker.adminUrl,
      gateway: gateway.adminUrl,
    };
    const scraped = new Map<string, string>();
    for (const [job, adminUrl] of Object.entries(adminUrls)) {
      const response = await fetch(`${adminUrl}/metrics`);
      expect(response.status, job).toBe(200);
      scraped.set(job, await response.text());
    }
    return scraped;
  }

  it("exports the RED metrics from every service", async () => {
    for (const [job, exposition] of await scrapeAll()) {
      const names = exportedSampleNames(exposition);
      for (const name of ["rpc_server_requests_total", "rpc_server_duration_seconds_bucket"]) {
        expect(names.has(name), `${job} exports ${name}`).toBe(true);
      }
    }
  });

  it("exports every metric the dashboard and the alert rules name", async () => {
    const scraped = await scrapeAll();
    const exported = new Set(
      [...scraped.values()].flatMap((exposition) => [...exportedSampleNames(exposition)]),
    );
    const [rule] = ofKind(
      await renderChart({ set: allFlags, apiVersions: withOperatorApi }),
      "PrometheusRule",
    );
    const queries = [...(await dashboardQueries()), ...ruleExpressions(rule as RenderedObject)];
    const queried = new Set(queries.flatMap((query) => [...metricNamesOf(query)]));
    expect(queried.size).toBeGreaterThan(8);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  });

  it("counts SubmitOrder, which the matching panels and alert select by method alone, only at matching", async () => {
    const seller = await exchange.trader({ BTC: "1" });
    const buyer = await exchange.trader({ USD: "100" });
    await seller.place({ market, side: "sell", price: "100", quantity: "0.1" });
    await buyer.place({ market, side: "buy", price: "100", quantity: "0.1" });

    const scraped = await scrapeAll();
    const servers = [...scraped]
      .filter(([, exposition]) => /^rpc_server_requests_total\{[^}]*method="SubmitOrder"/m.test(exposition))
      .map(([job]) => job);
    expect(servers).toEqual(["matching"]);
    const matching = scraped.get("matching");
    expect(matching).toMatch(
      /^rpc_server_requests_total\{service="bourse\.matching\.v1\.MatchingService",method="SubmitOrder",code="ok"\} [1-9]/m,
    );
    expect(matching).toMatch(/^matching_orders_total\{market="BTC-USD",status="[A-Za-z_]+"\} \d+/m);
  });
});
