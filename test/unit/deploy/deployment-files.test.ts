import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../../shared/config/index.ts";
import { composeValidator } from "./compose-schema.ts";

const root = resolve(import.meta.dirname, "../../..");
const text = (path: string) => readFile(join(root, path), "utf8");

interface ComposeService {
  readonly image?: string;
  readonly environment?: Record<string, string>;
  readonly ports?: readonly string[];
  readonly depends_on?: Record<string, { readonly condition: string }>;
  readonly secrets?: readonly string[];
  readonly volumes?: readonly string[];
}
interface Compose {
  readonly services: Record<string, ComposeService>;
}
interface RenderEnvVar {
  readonly key: string;
  readonly value?: string;
  readonly sync?: boolean;
  readonly fromDatabase?: { readonly name: string; readonly property: string };
}
interface RenderService {
  readonly type: string;
  readonly name: string;
  readonly envVars?: readonly RenderEnvVar[];
  readonly disk?: { readonly mountPath: string };
}
interface Blueprint {
  readonly services: readonly RenderService[];
  readonly databases?: readonly { readonly name: string; readonly ipAllowList?: readonly unknown[] }[];
}

async function renderValidator() {
  const schema: unknown = JSON.parse(await text("test/fixtures/schemas/render-blueprint-subset.json"));
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(schema as object);
}

/** Variable names of .env.example, with their example values. */
async function envExample(): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const line of (await text(".env.example")).split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

/** The variables the service reads: the keys of the Environment schema in shared/config. */
async function configVariables(): Promise<string[]> {
  const source = await text("shared/config/index.ts");
  const block = /const Environment = Schema\.Struct\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? "";
  return [...block.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!);
}

/** `${VAR}`, `${VAR:-default}` and `${VAR:?message}` references (not the escaped `$${VAR}`). */
function interpolations(source: string): string[] {
  return [...source.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
}

const compose = async () => parse(await text("docker-compose.yml")) as Compose;
const blueprint = async () => parse(await text("render.yaml")) as Blueprint;

describe("docker-compose.yml", () => {
  it("is valid against the compose-spec JSON schema", async () => {
    const validate = composeValidator();
    expect(validate(await compose()), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("fails the compose-spec schema when a service key is misspelled (the check can fail)", async () => {
    const validate = composeValidator();
    const broken = parse(await text("docker-compose.yml")) as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.procure!.enviroment = { LOG_LEVEL: "info" };
    expect(validate(broken)).toBe(false);
  });

  it("publishes only the dashboard port: Restate's ingress and admin API and Postgres stay private", async () => {
    const { services } = await compose();
    const published = Object.entries(services).filter(([, service]) => service.ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(["procure"]);
    expect(services.procure!.ports).toHaveLength(1);
    expect(services.procure!.ports![0]).toMatch(/:3000$/);
    expect(services.procure!.ports![0]).toMatch(/^\$\{DASHBOARD_PUBLISH_ADDRESS:-127\.0\.0\.1\}:/);
  });

  it("runs the official Restate image with a pinned node name, a persistent volume and a signing key", async () => {
    const restate = (await compose()).services.restate!;
    expect(restate.image).toMatch(/^docker\.restate\.dev\/restatedev\/restate:1\.7/);
    expect(restate.environment?.RESTATE_NODE_NAME).toBeTruthy();
    expect(restate.volumes).toContain("restate-data:/restate-data");
    expect(restate.environment?.RESTATE_BASE_DIR).toBe("/restate-data");
    expect(restate.secrets).toContain("restate_identity_key");
    expect(restate.environment?.RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE).toBe(
      "/run/secrets/restate_identity_key",
    );
  });

  it("requires the API key, the identity public key and the database password to be set", async () => {
    const { services } = await compose();
    const procure = services.procure!.environment!;
    expect(procure.PROCURE_API_KEY).toMatch(/^\$\{PROCURE_API_KEY:\?/);
    expect(procure.RESTATE_IDENTITY_KEYS).toMatch(/^\$\{RESTATE_IDENTITY_KEYS:\?/);
    expect(services.postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(procure.RESTATE_START_SERVER).toBe("false");
  });

  it("registers the deployment once the service is healthy, with Postgres healthy before the service", async () => {
    const { services } = await compose();
    expect(services.register!.depends_on).toEqual({ procure: { condition: "service_healthy" } });
    expect(services.procure!.depends_on?.postgres).toEqual({ condition: "service_healthy" });
  });

  it("uses only variables listed in .env.example", async () => {
    const listed = await envExample();
    const used = interpolations(await text("docker-compose.yml"));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("gives the service only variables that procure's configuration reads", async () => {
    const known = new Set(await configVariables());
    const keys = Object.keys((await compose()).services.procure!.environment!);
    expect(keys.filter((key) => !known.has(key))).toEqual([]);
  });
});

describe("render.yaml", () => {
  it("is valid against the Render Blueprint schema (the subset procure uses)", async () => {
    const validate = await renderValidator();
    expect(validate(await blueprint()), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("fails the schema for an unknown service type or a misspelled key (the check can fail)", async () => {
    const validate = await renderValidator();
    const unknownType = parse(await text("render.yaml")) as { services: Record<string, unknown>[] };
    unknownType.services[1]!.type = "private";
    expect(validate(unknownType)).toBe(false);
    const misspelled = parse(await text("render.yaml")) as { services: Record<string, unknown>[] };
    misspelled.services[0]!.healthcheckPath = "/healthz";
    expect(validate(misspelled)).toBe(false);
  });

  it("keeps Restate private (pserv with a disk) and the database off the internet", async () => {
    const { services, databases } = await blueprint();
    const restate = services.find((service) => service.name === "procure-restate");
    expect(restate?.type).toBe("pserv");
    expect(restate?.disk?.mountPath).toBe("/restate-data");
    expect(services.filter((service) => service.type === "web").map((service) => service.name)).toEqual([
      "procure",
    ]);
    expect(databases?.[0]?.ipAllowList).toEqual([]);
  });

  it("declares the secrets as unsynced environment variables without values", async () => {
    const procure = (await blueprint()).services.find((service) => service.name === "procure")!;
    for (const secret of ["PROCURE_API_KEY", "RESTATE_IDENTITY_KEYS", "ANTHROPIC_API_KEY"]) {
      const variable = procure.envVars?.find((candidate) => candidate.key === secret);
      expect(variable, secret).toEqual({ key: secret, sync: false });
    }
  });

  it("gives the web service only configuration variables or ones listed in .env.example", async () => {
    const known = new Set([...(await configVariables()), ...(await envExample()).keys()]);
    const procure = (await blueprint()).services.find((service) => service.name === "procure")!;
    const keys = (procure.envVars ?? []).map((variable) => variable.key);
    expect(keys.filter((key) => !known.has(key))).toEqual([]);
  });

  it("configures Restate with the same server settings as docker compose", async () => {
    const composeRestate = Object.keys((await compose()).services.restate!.environment!);
    const restate = (await blueprint()).services.find((service) => service.name === "procure-restate")!;
    const keys = (restate.envVars ?? []).map((variable) => variable.key);
    expect(keys.filter((key) => !composeRestate.includes(key))).toEqual([]);
  });
});

describe(".env.example", () => {
  it("lists every variable of procure's configuration", async () => {
    const listed = await envExample();
    const variables = await configVariables();
    expect(variables.length).toBeGreaterThan(20);
    expect(variables.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("states each default exactly: read as an environment, it yields the default configuration", async () => {
    const listed = Object.fromEntries(await envExample());
    expect(loadConfig(listed)).toEqual(loadConfig({}));
  });
});

describe("Dockerfile", () => {
  it("builds in stages on node:22-slim, installs production dependencies only and runs as a non-root user", async () => {
    const dockerfile = await text("Dockerfile");
    expect(dockerfile.match(/^FROM node:22-slim AS \w+$/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/RESTATE_START_SERVER=false/);
    expect(dockerfile).toMatch(/^COPY --from=deps /m);
  });
});
