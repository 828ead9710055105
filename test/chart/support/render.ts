import { parseAllDocuments } from "yaml";
import { chartPath, runHelm } from "./helm.js";

/** A rendered Kubernetes object, as parsed from helm's output. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field by the tests
  [field: string]: any;
}

export interface RenderOptions {
  /** Values files, relative to the repository root. */
  valuesFiles?: string[];
  /** `--set` pairs. */
  set?: Record<string, string>;
  /** The cluster's Kubernetes version (capability-dependent templates), e.g. "1.31.0". */
  kubeVersion?: string;
  /** API versions the cluster serves besides the built-in ones, e.g. "monitoring.coreos.com/v1". */
  apiVersions?: string[];
  releaseName?: string;
  namespace?: string;
}

export const defaultKubeVersion = "1.31.0";

/** Arguments of `helm template` (and `helm lint`, for the values flags) for these options. */
export function valuesArguments(options: RenderOptions): string[] {
  const args: string[] = [];
  for (const file of options.valuesFiles ?? []) args.push("--values", file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push("--set", `${key}=${value}`);
  return args;
}

/** `helm template` of charts/bourse; resolves to its exit code, output and error output. */
export function template(options: RenderOptions = {}) {
  const args = [
    "template",
    options.releaseName ?? "bourse",
    chartPath,
    "--namespace",
    options.namespace ?? "exchange",
    "--kube-version",
    options.kubeVersion ?? defaultKubeVersion,
    ...(options.apiVersions ?? []).flatMap((version) => ["--api-versions", version]),
    ...valuesArguments(options),
  ];
  return runHelm(args);
}

/** Renders charts/bourse to its objects; fails with helm's error output when rendering fails. */
export async function renderChart(options: RenderOptions = {}): Promise<RenderedObject[]> {
  const result = await template(options);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}):\n${result.stderr}`);
  return parseManifests(result.stdout);
}

/** The objects of a multi-document YAML stream (empty documents dropped). */
export function parseManifests(text: string): RenderedObject[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]?.message}`);
    const object = document.toJS() as RenderedObject | null;
    return object === null ? [] : [object];
  });
}

/** The one object of a kind and name; throws when there is none, so that a test names what is missing. */
export function findObject(objects: RenderedObject[], kind: string, name: string): RenderedObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered chart`);
  return found;
}
