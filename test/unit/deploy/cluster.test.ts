import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  composeClusterPorts,
  defaultClusterPorts,
  haproxyConfig,
  restateNodeEnv,
} from "../../../scripts/cluster/topology.ts";
import { composeValidator } from "./compose-schema.ts";

const root = resolve(import.meta.dirname, "../../..");
const text = (path: string) => readFile(join(root, path), "utf8");
const haproxy = ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"].find((path) => existsSync(path));

interface ComposeService {
  readonly image?: string;
  readonly environment?: Record<string, string>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly command?: readonly string[];
}
const compose = async () =>
  parse(await text("docker-compose.cluster.yml"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

/** `haproxy -c` on a configuration: the exit status and what it said. */
async function haproxyCheck(binary: string, config: string) {
  const dir = await mkdtemp(join(tmpdir(), "procure-haproxy-"));
  try {
    await writeFile(join(dir, "haproxy.cfg"), config);
    return spawnSync(binary, ["-c", "-f", join(dir, "haproxy.cfg")], { encoding: "utf8" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the cluster topology", () => {
  it("gives each Restate node a pinned name, its own ports and the same peers; only the first provisions", () => {
    const envs = [0, 1, 2].map((index) => restateNodeEnv(defaultClusterPorts, index));
    expect(envs.map((env) => env.RESTATE_NODE_NAME)).toEqual(["restate-1", "restate-2", "restate-3"]);
    expect(envs.map((env) => env.RESTATE_AUTO_PROVISION)).toEqual(["true", "false", "false"]);
    expect(new Set(envs.map((env) => env.RESTATE_METADATA_CLIENT__ADDRESSES)).size).toBe(1);
    expect(JSON.parse(envs[0]!.RESTATE_METADATA_CLIENT__ADDRESSES!)).toHaveLength(3);
    for (const env of envs) {
      expect(env).toMatchObject({
        RESTATE_DEFAULT_REPLICATION: "2",
        RESTATE_BIFROST__DEFAULT_PROVIDER: "replicated",
      });
    }
    const ports = envs.flatMap((env) => [
      env.RESTATE_BIND_PORT,
      env.RESTATE_INGRESS__BIND_PORT,
      env.RESTATE_ADMIN__BIND_PORT,
    ]);
    expect(new Set(ports).size).toBe(9);
  });

  it("balances Restate's streams to the replicas over HTTP/2 and checks each server's health over HTTP/1", () => {
    const config = haproxyConfig(defaultClusterPorts);
    expect(config).toContain("bind 127.0.0.1:9080 proto h2");
    expect(config).toContain("server replica-1 127.0.0.1:19081 proto h2 check port 13001 check-proto h1");
    expect(config).toMatch(/retry-on conn-failure\n/);
  });

  it.skipIf(haproxy === undefined)(
    "writes configurations HAProxy accepts, and HAProxy rejects a broken one",
    async () => {
      const local = await haproxyCheck(haproxy!, haproxyConfig(defaultClusterPorts));
      expect(local.status, local.stderr).toBe(0);
      const composed = await haproxyCheck(haproxy!, await text("deploy/haproxy.cluster.cfg"));
      expect(composed.status, composed.stderr).toBe(0);
      const broken = await haproxyCheck(
        haproxy!,
        haproxyConfig(defaultClusterPorts).replace("proto h2", "proto h9"),
      );
      expect(broken.status).not.toBe(0);
    },
  );
});

describe("docker-compose.cluster.yml", () => {
  it("is valid against the compose-spec JSON schema", async () => {
    const validate = composeValidator();
    expect(validate(await compose()), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("uses deploy/haproxy.cluster.cfg exactly as the topology generates it", async () => {
    const file = await text("deploy/haproxy.cluster.cfg");
    const generated = haproxyConfig(composeClusterPorts, { bindHost: "*", dockerDns: true });
    expect(file.replace(/^(#.*\n)+\n/, "")).toBe(generated);
    expect((await compose()).services.balancer?.volumes).toContain(
      "./deploy/haproxy.cluster.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro",
    );
  });

  it("runs three Restate nodes with pinned names and volumes, one provisioning, all replicating twice", async () => {
    const { services } = await compose();
    const nodes = ["restate-1", "restate-2", "restate-3"].map((name) => services[name]!);
    expect(nodes.map((node) => node.environment?.RESTATE_NODE_NAME)).toEqual([
      "restate-1",
      "restate-2",
      "restate-3",
    ]);
    expect(nodes.map((node) => node.environment?.RESTATE_AUTO_PROVISION)).toEqual(["true", "false", "false"]);
    expect(nodes.map((node) => node.volumes?.[0])).toEqual([
      "restate-1-data:/restate-data",
      "restate-2-data:/restate-data",
      "restate-3-data:/restate-data",
    ]);
    for (const node of nodes) {
      expect(node.image).toMatch(/^docker\.restate\.dev\/restatedev\/restate:1\.7/);
      expect(node.environment?.RESTATE_DEFAULT_REPLICATION).toBe("2");
      expect(node.environment?.RESTATE_METADATA_CLIENT__ADDRESSES).toBe(
        restateNodeEnv(composeClusterPorts, 0).RESTATE_METADATA_CLIENT__ADDRESSES,
      );
    }
  });

  it("publishes only the dashboard (on the balancer) and registers the balanced endpoint once", async () => {
    const { services } = await compose();
    const published = Object.entries(services).filter(([, service]) => service.ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(["balancer"]);
    for (const replica of ["procure-1", "procure-2"]) {
      expect(services[replica]?.environment).toMatchObject({
        SERVICE_ADVERTISED_URL: "http://balancer:9080",
        RESTATE_INGRESS_URL: "http://balancer:8080",
        RESTATE_REGISTER_DEPLOYMENT: "false",
      });
    }
    expect(services.register?.command).toContain("http://balancer:9070/deployments");
    expect(services.register?.command).toContain('{"uri": "http://balancer:9080", "force": true}');
  });
});
