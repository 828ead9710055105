/**
 * Every service has an image: `npm run build` bundles each process the repository can run as a container,
 * and each service the chart deploys is one of them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildEntries } from "../../scripts/build.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Each workspace with a src/main.ts, the entry a container runs, named as its image is. */
function runnableWorkspaces(): Record<string, string> {
  const services = readdirSync(`${repositoryRoot}/services`)
    .filter((name) => existsSync(`${repositoryRoot}/services/${name}/src/main.ts`))
    .map((name) => [name, `services/${name}/src/main.ts`]);
  return Object.fromEntries([...services, ["gateway", "gateway/src/main.ts"]]);
}

describe("npm run build", () => {
  it("bundles every service with a main.ts, the gateway, and the table initialiser", () => {
    expect(buildEntries).toEqual({ ...runnableWorkspaces(), "db-init": "scripts/db-init.ts" });
  });

  it("bundles every service the chart deploys", () => {
    const values = parse(readFileSync(`${repositoryRoot}/charts/bourse/values.yaml`, "utf8")) as {
      services: Record<string, unknown>;
    };
    const deployed = Object.keys(values.services);
    expect(deployed.length).toBeGreaterThan(0);
    expect(deployed.filter((name) => !(name in buildEntries))).toEqual([]);
  });

  it("names in the Dockerfile's SERVICE message every image it can build", () => {
    const dockerfile = readFileSync(`${repositoryRoot}/Dockerfile`, "utf8");
    const offered = /--build-arg SERVICE=<([a-z|]+)>/.exec(dockerfile)?.[1]?.split("|");
    expect(offered?.sort()).toEqual(Object.keys(runnableWorkspaces()).sort());
  });
});
