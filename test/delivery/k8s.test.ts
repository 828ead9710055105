/**
 * The dev loop on kind (k8s/, the Tiltfile), checked as far as a machine without a Kubernetes cluster,
 * Tilt or a Docker engine allows:
 * - every manifest under k8s/ validates against the Kubernetes schemas (kubernetes-models), and each
 *   kustomization lists exactly its directory's manifests;
 * - the Tiltfile is Starlark as far as Python's parser can tell (Starlark is a Python subset; the probe also
 *   refuses the Python constructs Starlark lacks) and runs, under Python, against stand-ins of the Tilt
 *   functions with Tilt's signatures, fed the chart as `helm template` renders it with the same values:
 *   every path it names exists, every image it builds is deployed and every deployed image is built,
 *   every resource it configures is a workload it deploys;
 * - the development image (k8s/dev.Dockerfile), read with dockerfile-ast: what it copies exists;
 * - the wiring between the pieces: endpoints, ports, labels and the dev Secret's keys.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { authConfigSchema, loadConfig } from "@bourse/common";
import { serviceCredentialVar } from "@bourse/common/auth";
import { DockerfileParser } from "dockerfile-ast";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { keyRingFromConfig } from "../../services/users/src/auth/signing-keys.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const k8sDirectory = path.join(repositoryRoot, "k8s");

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are read as plain YAML and navigated by the tests.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  data?: any;
  stringData?: Record<string, string>;
}

/** Files under k8s/ that are not Kubernetes objects: read by kind, kustomize and helm. */
const notKubernetesObjects = new Set(["kind-cluster.yaml", "kustomization.yaml", "tilt-values.yaml"]);

function yamlFilesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => path.join(directory, file))
    .sort();
}

function readObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

const manifestFiles = yamlFilesUnder(k8sDirectory).filter(
  (file) => !notKubernetesObjects.has(path.basename(file)),
);
const objectsByFile = new Map(manifestFiles.map((file) => [file, readObjects(file)]));
const allObjects = [...objectsByFile.values()].flat();

/** kubernetes-models' class for an object: `kubernetes-models/<group>/<version>` exports one per kind. */
async function modelOf(object: KubernetesObject): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = object.apiVersion.includes("/")
    ? object.apiVersion.split("/")
    : ["", object.apiVersion];
  const module = await import(
    group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`
  );
  const model = module[object.kind];
  if (typeof model !== "function")
    throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  return model;
}

async function validate(object: KubernetesObject): Promise<void> {
  const Model = await modelOf(object);
  new Model(object).validate();
}

function objectNamed(kind: string, name: string): KubernetesObject {
  const found = allObjects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} under k8s/`);
  return found;
}

/** The namespace an object lands in: its own, or its kustomization's. */
function namespaceOf(file: string, object: KubernetesObject): string | undefined {
  const kustomization = path.join(path.dirname(file), "kustomization.yaml");
  if (existsSync(kustomization)) return parse(readFileSync(kustomization, "utf8")).namespace;
  return object.metadata.namespace;
}

/** `http://<service>.<namespace>.svc:<port>` names a Service of k8s/ in that namespace, with that port. */
function expectServiceUrl(url: string, service: string, namespace: string, port: number): void {
  const parsed = new URL(url);
  expect(parsed.hostname).toBe(`${service}.${namespace}.svc`);
  expect(Number(parsed.port)).toBe(port);
  const file = manifestFiles.find((candidate) =>
    objectsByFile
      .get(candidate)
      ?.some((object) => object.kind === "Service" && object.metadata.name === service),
  ) as string;
  expect(namespaceOf(file, objectNamed("Service", service))).toBe(namespace);
  expect(objectNamed("Service", service).spec.ports.map((entry: { port: number }) => entry.port)).toContain(
    port,
  );
}

describe("k8s/ manifests", () => {
  it("parse and validate against the Kubernetes schemas", async () => {
    expect(allObjects.length).toBeGreaterThan(20);
    for (const [file, objects] of objectsByFile) {
      for (const object of objects) {
        await expect(
          validate(object),
          `${path.relative(repositoryRoot, file)}: ${object.kind}`,
        ).resolves.toBe(undefined);
      }
    }
  });

  it("a manifest that breaks the schema is refused by the same validation", async () => {
    const redis = structuredClone(objectNamed("Deployment", "redis"));
    redis.spec.template.spec.containers[0].ports[0].containerPort = "six thousand";
    await expect(validate(redis)).rejects.toThrow(/containerPort/);
  });

  it("each kustomization lists exactly the manifests of its directory, and every object has a namespace", () => {
    const kustomizations = yamlFilesUnder(k8sDirectory).filter(
      (file) => path.basename(file) === "kustomization.yaml",
    );
    expect(kustomizations.map((file) => path.relative(k8sDirectory, file)).sort()).toEqual([
      "deps/kustomization.yaml",
      "observability/kustomization.yaml",
    ]);
    for (const kustomization of kustomizations) {
      const directory = path.dirname(kustomization);
      const listed = parse(readFileSync(kustomization, "utf8")).resources as string[];
      const present = readdirSync(directory).filter(
        (file) => file.endsWith(".yaml") && file !== "kustomization.yaml",
      );
      expect(listed.sort(), path.relative(repositoryRoot, kustomization)).toEqual(present.sort());
    }
    for (const [file, objects] of objectsByFile) {
      for (const object of objects.filter((candidate) => candidate.kind !== "Namespace")) {
        expect(namespaceOf(file, object), `${object.kind} ${object.metadata.name}`).toMatch(
          /^(bourse|observability)$/,
        );
      }
    }
  });

  it("the kind cluster has one control plane and workers in two zones, for the chart's topology spread", () => {
    const cluster = parse(readFileSync(path.join(k8sDirectory, "kind-cluster.yaml"), "utf8"));
    expect(cluster).toMatchObject({ kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4", name: "bourse" });
    const roles = cluster.nodes.map((node: { role: string }) => node.role);
    expect(roles.filter((role: string) => role === "control-plane")).toHaveLength(1);
    const zones = cluster.nodes
      .filter((node: { role: string }) => node.role === "worker")
      .map((node: { labels: Record<string, string> }) => node.labels["topology.kubernetes.io/zone"]);
    expect(new Set(zones).size).toBe(2);
  });
});

interface DockerBuild {
  ref: string;
  context: string;
  buildArgs: Record<string, string>;
  dockerfile: string;
  only: string[];
  liveUpdate: Array<{ sync?: [string, string]; fallBackOn?: string[] }>;
}

interface TiltCalls {
  starlarkViolations?: string[];
  /** The message of the Tiltfile's fail(), when it called it. */
  failed?: string;
  kustomize: string[];
  helm: Array<{ chart: string; name: string; namespace: string; values: string[] }>;
  k8sYamlFiles: string[];
  k8sYamlObjects: KubernetesObject[];
  dockerBuilds: DockerBuild[];
  k8sResources: Array<{ workload: string; portForwards: string[]; resourceDeps: string[]; labels: string[] }>;
  localResources: Array<{ name: string; cmd: string; deps: string[]; labels: string[] }>;
}

/** Every service the chart deploys: a service added to the chart and not to the Tiltfile fails here. */
const services = Object.keys(
  parse(readFileSync(path.join(repositoryRoot, "charts/bourse/values.yaml"), "utf8")).services,
);
const workspaceOf = (service: string) => (service === "gateway" ? "gateway" : `services/${service}`);

describe("Tiltfile", () => {
  let scratch: string;
  let chartFile: string;
  let tilt: TiltCalls;
  let chartObjects: KubernetesObject[];

  /** The Tiltfile run by the probe as Tilt would run it with `context` as kubectl's current context. */
  const runTiltfile = (context: string): TiltCalls =>
    JSON.parse(
      execFileSync(
        "python3",
        [path.join(repositoryRoot, "test/delivery/tiltfile-probe.py"), "Tiltfile", chartFile, context],
        { cwd: repositoryRoot, encoding: "utf8" },
      ),
    );

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "bourse-tiltfile-"));
    // The values files the Tiltfile passes to helm(); the test below checks that they are these.
    const rendered = execFileSync(
      path.join(repositoryRoot, "scripts/helm.sh"),
      ["template", "bourse", "charts/bourse", "--namespace", "bourse"].concat(
        ["charts/bourse/examples/kind.yaml", "k8s/tilt-values.yaml"].flatMap((file) => ["--values", file]),
      ),
      { cwd: repositoryRoot, encoding: "utf8" },
    );
    chartObjects = parseAllDocuments(rendered)
      .map((document) => document.toJS() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => object !== null);
    chartFile = path.join(scratch, "chart.json");
    writeFileSync(chartFile, JSON.stringify(chartObjects));
    tilt = runTiltfile("kind-bourse");
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is Starlark as far as Python's parser tells, and runs to its end on the kind cluster", () => {
    expect(tilt.starlarkViolations).toBeUndefined();
    expect(tilt.failed).toBeUndefined();
  });

  it("refuses any other cluster, a local one included", () => {
    for (const context of [
      "docker-desktop",
      "kind-kind",
      "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
    ]) {
      expect(runTiltfile(context).failed).toContain(`current context: ${context}`);
    }
  });

  it("names only paths that exist", () => {
    const named = [
      ...tilt.kustomize,
      ...tilt.helm.flatMap((call) => [call.chart, ...call.values]),
      ...tilt.k8sYamlFiles,
      ...tilt.localResources.flatMap((resource) => resource.deps),
      ...tilt.dockerBuilds.flatMap((build) => [
        build.context,
        build.dockerfile,
        ...build.only.map((entry) => path.join(build.context, entry)),
        ...build.liveUpdate.flatMap((step) => step.fallBackOn ?? (step.sync ? [step.sync[0]] : [])),
      ]),
    ];
    expect(named.length).toBeGreaterThan(50);
    const missing = [...new Set(named)].filter((entry) => !existsSync(path.join(repositoryRoot, entry)));
    expect(missing).toEqual([]);
  });

  it("deploys the chart with the kind example values, the dependencies and the table-init Job", () => {
    expect(tilt.helm).toEqual([
      expect.objectContaining({
        chart: "charts/bourse",
        name: "bourse",
        namespace: "bourse",
        values: ["charts/bourse/examples/kind.yaml", "k8s/tilt-values.yaml"],
      }),
    ]);
    expect(tilt.kustomize.sort()).toEqual(["k8s/deps", "k8s/observability"]);
    expect(tilt.k8sYamlFiles.sort()).toEqual(["k8s/dev-secret.yaml", "k8s/table-init-job.yaml"]);
    // Every chart object reaches the cluster, and only the Deployments' root filesystem is made writable.
    expect(tilt.k8sYamlObjects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(
      chartObjects.map((object) => `${object.kind}/${object.metadata.name}`),
    );
    const deployments = tilt.k8sYamlObjects.filter((object) => object.kind === "Deployment");
    expect(deployments.map((object) => object.metadata.name).sort()).toEqual(
      services.map((service) => `bourse-${service}`).sort(),
    );
    for (const deployment of deployments) {
      for (const container of deployment.spec.template.spec.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: false,
          runAsNonRoot: true,
        });
      }
    }
  });

  it("builds every image the cluster runs, and deploys every image it builds", () => {
    const deployedImages = [
      ...tilt.k8sYamlObjects,
      ...tilt.k8sYamlFiles.flatMap((file) => readObjects(path.join(repositoryRoot, file))),
    ]
      .flatMap((object) => object.spec?.template?.spec?.containers ?? [])
      .map((container: { image: string }) => container.image.replace(/:[^/:]+$/, ""));
    const built = tilt.dockerBuilds.map((build) => build.ref);
    expect(built.sort()).toEqual(services.map((service) => `bourse-${service}`).sort());
    expect([...new Set(deployedImages)].sort()).toEqual(built.sort());
    for (const build of tilt.dockerBuilds) {
      expect(build.dockerfile).toBe("k8s/dev.Dockerfile");
      expect(build.buildArgs).toEqual({ SERVICE: build.ref.replace(/^bourse-/, "") });
    }
  });

  it("live-updates each service by syncing its src/ and the shared sources into the image's /app", () => {
    for (const build of tilt.dockerBuilds) {
      const service = build.ref.replace(/^bourse-/, "");
      const syncs = build.liveUpdate.flatMap((step) => (step.sync ? [step.sync] : []));
      expect(syncs.map(([local]) => local)).toEqual(
        expect.arrayContaining([`${workspaceOf(service)}/src`, "services/common/src", "proto/gen"]),
      );
      for (const [local, remote] of syncs) expect(remote).toBe(`/app/${local}`);
      // A fall_back_on must come first in Tilt's live_update.
      expect(build.liveUpdate[0]?.fallBackOn).toEqual(
        expect.arrayContaining(["package.json", "package-lock.json"]),
      );
    }
  });

  it("configures only workloads it deploys: labels on each, forwards to the gateway, Grafana and Jaeger", () => {
    const workloads = new Set([
      ...tilt.k8sYamlObjects
        .filter((object) => object.kind === "Deployment")
        .map((object) => object.metadata.name),
      ...allObjects
        .filter((object) => object.kind === "Deployment" || object.kind === "Job")
        .map((object) => object.metadata.name),
    ]);
    const configured = tilt.k8sResources.map((resource) => resource.workload);
    expect(configured.filter((name) => !workloads.has(name))).toEqual([]);
    expect(new Set(configured)).toEqual(workloads);
    for (const resource of [...tilt.k8sResources, ...tilt.localResources])
      expect(resource.labels).toHaveLength(1);
    const names = new Set([...configured, ...tilt.localResources.map((resource) => resource.name)]);
    for (const resource of tilt.k8sResources) {
      for (const dependency of resource.resourceDeps) expect(names).toContain(dependency);
    }
    const forwards = Object.fromEntries(
      tilt.k8sResources.map((resource) => [resource.workload, resource.portForwards]),
    );
    expect(forwards["bourse-gateway"]).toEqual(["8080:8080"]);
    expect(forwards.grafana).toEqual(["3000:3000"]);
    expect(forwards.jaeger).toEqual(["16686:16686"]);
    expect(objectNamed("Service", "grafana").spec.ports[0].port).toBe(3000);
    expect(objectNamed("Service", "jaeger").spec.ports.map((port: { port: number }) => port.port)).toContain(
      16686,
    );
  });

  it("regenerates the protos when proto/ changes", () => {
    const scripts = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")).scripts;
    expect(tilt.localResources).toEqual([
      expect.objectContaining({
        name: "protos",
        cmd: "npm run proto",
        deps: expect.arrayContaining(["proto/bourse"]),
      }),
    ]);
    expect(scripts.proto).toContain("buf generate");
  });
});

describe("k8s/dev.Dockerfile", () => {
  const dockerfile = DockerfileParser.parse(readFileSync(path.join(k8sDirectory, "dev.Dockerfile"), "utf8"));
  const instructions = dockerfile.getInstructions();
  const argumentsOf = (keyword: string) =>
    instructions
      .filter((instruction) => instruction.getKeyword() === keyword)
      .map((instruction) => instruction.getArguments().map((argument) => argument.getValue()));

  it("copies every workspace's manifest before npm ci, and only paths that exist", () => {
    const copies = argumentsOf("COPY");
    const sources = copies.flatMap((copy) => copy.slice(0, -1));
    expect(sources.filter((source) => !existsSync(path.join(repositoryRoot, source)))).toEqual([]);
    const workspaces: string[] = JSON.parse(
      readFileSync(path.join(repositoryRoot, "package.json"), "utf8"),
    ).workspaces;
    const npmCi = instructions.findIndex((instruction) => instruction.toString().includes("npm ci"));
    const copiedBeforeInstall = instructions
      .slice(0, npmCi)
      .filter((instruction) => instruction.getKeyword() === "COPY")
      .flatMap((instruction) => instruction.getArguments().map((argument) => argument.getValue()));
    for (const workspace of workspaces) expect(copiedBeforeInstall).toContain(`${workspace}/package.json`);
  });

  it("works in /app as the chart's non-root user under tini, running each service's entry under tsx watch", () => {
    expect(argumentsOf("WORKDIR")).toEqual([["/app"]]);
    const { runAsUser, runAsGroup } = parse(
      readFileSync(path.join(repositoryRoot, "charts/bourse/values.yaml"), "utf8"),
    ).podSecurityContext;
    expect(argumentsOf("USER")).toEqual([[`${runAsUser}:${runAsGroup}`]]);
    const sourcesCopy = instructions.find(
      (instruction) =>
        instruction.getKeyword() === "COPY" && instruction.getArguments()[0]?.getValue() === ".",
    );
    expect(sourcesCopy?.toString()).toContain(`--chown=${runAsUser}:${runAsGroup}`);
    expect(objectNamed("Job", "table-init").spec.template.spec.securityContext).toMatchObject({
      runAsUser,
      runAsGroup,
    });
    const jsonOf = (keyword: string) =>
      JSON.parse(
        instructions.find((instruction) => instruction.getKeyword() === keyword)?.getArgumentsContent() ?? "",
      );
    expect(jsonOf("ENTRYPOINT")).toEqual(["/usr/bin/tini", "--"]);
    const command = jsonOf("CMD").join(" ");
    expect(command).toContain("tsx watch");
    for (const service of services) {
      const entry = service === "gateway" ? "gateway/src/main.ts" : `services/${service}/src/main.ts`;
      expect(command).toContain(service === "gateway" ? entry : "services/$SERVICE/src/main.ts");
      expect(existsSync(path.join(repositoryRoot, entry)), entry).toBe(true);
    }
  });
});

describe("wiring between k8s/, the chart and the services", () => {
  const tiltValues = parse(readFileSync(path.join(k8sDirectory, "tilt-values.yaml"), "utf8"));
  const kindValues = parse(
    readFileSync(path.join(repositoryRoot, "charts/bourse/examples/kind.yaml"), "utf8"),
  );
  const chartValues = parse(readFileSync(path.join(repositoryRoot, "charts/bourse/values.yaml"), "utf8"));

  it("the release reaches k8s/deps' DynamoDB Local and Redis, and the collector of k8s/observability", () => {
    expect(tiltValues.dynamodbLocal.enabled).toBe(false);
    expect(tiltValues.redisServer.enabled).toBe(false);
    expectServiceUrl(tiltValues.dynamodb.endpoint, "dynamodb-local", "bourse", 8000);
    expectServiceUrl(tiltValues.redis.url, "redis", "bourse", 6379);
    expectServiceUrl(
      tiltValues.otel?.endpoint ?? kindValues.otel.endpoint,
      "otel-collector",
      "observability",
      4318,
    );
    const collector = parse(objectNamed("ConfigMap", "otel-collector").data["config.yaml"]);
    expect(collector.receivers.otlp.protocols.http.endpoint).toMatch(/:4318$/);
    expect(collector.exporters["otlp/jaeger"].endpoint).toBe("jaeger:4317");
  });

  it("k8s/deps runs the same DynamoDB Local and Redis images as the chart's in-release ones", () => {
    const imageOf = (name: string) => objectNamed("Deployment", name).spec.template.spec.containers[0].image;
    expect(imageOf("dynamodb-local")).toBe(chartValues.dynamodbLocal.image);
    expect(imageOf("redis")).toBe(chartValues.redisServer.image);
  });

  it("the table-init Job runs npm run db:init against the same DynamoDB Local and table", () => {
    const job = objectNamed("Job", "table-init");
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(["npm", "run", "db:init"]);
    const scripts = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")).scripts;
    expect(scripts["db:init"]).toBeDefined();
    const env = Object.fromEntries(
      container.env.map((variable: { name: string; value: string }) => [variable.name, variable.value]),
    );
    expect(env.DYNAMODB_ENDPOINT).toBe(tiltValues.dynamodb.endpoint);
    expect(env.DYNAMODB_TABLE).toBe(tiltValues.dynamodb.table);
  });

  it("Prometheus scrapes the chart's admin port, and Grafana's sidecar loads the chart's dashboard", () => {
    const prometheus = parse(objectNamed("ConfigMap", "prometheus").data["prometheus.yml"]);
    const keep = prometheus.scrape_configs[0].relabel_configs.find(
      (rule: { action?: string }) => rule.action === "keep",
    );
    for (const service of services) {
      expect(new RegExp(`^(?:${keep.regex})$`).test(chartValues.services[service].adminPort), service).toBe(
        true,
      );
    }
    const sidecar = objectNamed("Deployment", "grafana").spec.template.spec.containers.find(
      (container: { name: string }) => container.name === "dashboard-sidecar",
    );
    const env = Object.fromEntries(
      sidecar.env.map((variable: { name: string; value: string }) => [variable.name, variable.value]),
    );
    expect(chartValues.grafanaDashboard.labels).toEqual({ [env.LABEL]: env.LABEL_VALUE });
    expect(tiltValues.grafanaDashboard.enabled).toBe(true);
  });

  it("the dev Secret holds every key the chart reads, with values the services accept", () => {
    const secret = objectNamed("Secret", "bourse-dev-secrets");
    expect(tiltValues.secret.existingSecret).toBe(secret.metadata.name);
    const keys = new Set(
      services.flatMap((service) => Object.values(chartValues.services[service].secretEnv ?? {}) as string[]),
    );
    expect(Object.keys(secret.stringData ?? {}).sort()).toEqual([...keys].sort());
    const data = secret.stringData as Record<string, string>;
    const ring = keyRingFromConfig(data["jwt-keys"] as string);
    expect(ring.active.kid).toBe("bourse-dev-1");
    // The other services verify tokens against AUTH_JWKS: it must be exactly the signing keys' public half.
    expect(JSON.parse(data["auth-jwks"] as string)).toEqual(ring.jwks);
    expect(loadConfig("test", authConfigSchema, { AUTH_JWKS: data["auth-jwks"] }).AUTH_JWKS).toEqual(
      ring.jwks,
    );
    expect(serviceCredentialVar.safeParse(data["service-credential"]).success).toBe(true);
  });
});
