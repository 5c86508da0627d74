/**
 * Starts the one-machine cluster of `npm run cluster` and hands back its controls: HAProxy, three
 * Restate nodes and the service replicas as child processes (each tied to this process with
 * `setpriv --pdeathsig` where available, so none outlives it), the deployment registered once
 * through the balancer. The chaos test and the scale benchmark use the same controls to kill -9
 * and restart single nodes and replicas.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  registerDeployment,
  startRestateServer,
  tiedToParent,
  waitForAdmin,
  waitForIngress,
  type RestateServer,
} from "../../services/runtime/restate-server.ts";
import {
  balancedUrls,
  haproxyConfig,
  nodeName,
  replicaEnv,
  replicaName,
  restateNodeEnv,
  type ClusterPorts,
} from "./topology.ts";

export const projectRoot = resolve(import.meta.dirname, "../..");

export interface ClusterOptions {
  readonly ports: ClusterPorts;
  /** Nodes' data, logs and the generated haproxy.cfg live here. */
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** Extra environment of the service replicas (intervals, scrape policy, log level…). */
  readonly replicaEnv?: Readonly<Record<string, string>>;
  /** Partitions of a newly provisioned cluster (Restate's default is 24). */
  readonly partitions?: number;
}

export interface Cluster {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  readonly servicesUrl: string;
  readonly dashboardUrl: string;
  readonly nodeCount: number;
  readonly replicaCount: number;
  nodePid(index: number): number | undefined;
  replicaPid(index: number): number | undefined;
  /** Node's own data directory (RocksDB, log segments, metadata). */
  nodeDataDir(index: number): string;
  killNode(index: number): Promise<void>;
  startNode(index: number): Promise<void>;
  killReplica(index: number): Promise<void>;
  startReplica(index: number): Promise<void>;
  stop(): Promise<void>;
}

function spawnTied(command: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string) {
  const [program, ...programArgs] = tiedToParent([command, ...args], "KILL");
  const child = spawn(program!, programArgs, {
    cwd: projectRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(logFile, { flags: "a" });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

const running = (child: ChildProcess | undefined) =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

async function terminate(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || !running(child)) return;
  const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
  child.kill(signal);
  await exited;
}

function haproxyBinary(): string {
  for (const candidate of ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"])
    if (existsSync(candidate)) return candidate;
  if (spawnSync("haproxy", ["-v"]).status === 0) return "haproxy";
  throw new Error("HAProxy is not installed: run `apt-get install -y haproxy` (Debian/Ubuntu) and try again");
}

async function startHaproxy(configFile: string, logFile: string): Promise<ChildProcess> {
  const binary = haproxyBinary();
  const check = spawnSync(binary, ["-c", "-q", "-f", configFile], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`HAProxy rejected ${configFile}: ${check.stderr || check.stdout}`);
  const child = spawnTied(binary, ["-db", "-f", configFile], process.env, logFile);
  await new Promise<void>((resolveSpawn, reject) => {
    child.once("spawn", () => resolveSpawn());
    child.once("error", reject);
  });
  return child;
}

/** Starts one service replica and resolves once it printed that it is up. */
async function startReplicaProcess(env: NodeJS.ProcessEnv, logFile: string): Promise<ChildProcess> {
  const child = spawnTied(process.execPath, ["--import", "tsx", "services/main.ts"], env, logFile);
  await new Promise<void>((resolveUp, reject) => {
    let output = "";
    const onExit = (code: number | null) =>
      reject(new Error(`service replica exited with ${code} before it was up (log: ${logFile})`));
    child.once("exit", onExit);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes("procure is up")) return;
      child.off("exit", onExit);
      resolveUp();
    });
  });
  return child;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { ports, dataDir } = options;
  const urls = balancedUrls(ports);
  await mkdir(dataDir, { recursive: true });
  const haproxyFile = join(dataDir, "haproxy.cfg");
  await writeFile(haproxyFile, haproxyConfig(ports));
  const haproxy = await startHaproxy(haproxyFile, join(dataDir, "haproxy.log"));

  const nodes: (RestateServer | undefined)[] = ports.nodes.map(() => undefined);
  const replicas: (ChildProcess | undefined)[] = ports.replicas.map(() => undefined);
  const nodeDataDir = (index: number) => join(dataDir, nodeName(index));
  const nodeAdminUrl = (index: number) => `http://127.0.0.1:${ports.nodes[index]?.admin}`;
  const nodeIngressUrl = (index: number) => `http://127.0.0.1:${ports.nodes[index]?.ingress}`;

  const startNode = async (index: number) => {
    nodes[index] = await startRestateServer({
      configFile: join(projectRoot, "restate.toml"),
      workingDir: projectRoot,
      dataDir: nodeDataDir(index),
      logFile: join(dataDir, `${nodeName(index)}.log`),
      env: restateNodeEnv(ports, index, { partitions: options.partitions }),
    });
    await waitForAdmin(nodeAdminUrl(index), 120_000);
  };
  const startReplica = async (index: number) => {
    replicas[index] = await startReplicaProcess(
      {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        PROCURE_DATA_DIR: join(dataDir, replicaName(index)),
        ...options.replicaEnv,
        ...replicaEnv(ports, index),
      },
      join(dataDir, `${replicaName(index)}.log`),
    );
  };
  const stop = async () => {
    await Promise.all(replicas.map((replica) => terminate(replica, "SIGTERM")));
    await Promise.all(nodes.map((node) => node?.stop()));
    await terminate(haproxy, "SIGTERM");
  };

  try {
    await Promise.all(ports.nodes.map((_, index) => startNode(index)));
    await Promise.all(ports.replicas.map((_, index) => startReplica(index)));
    await registerDeployment(urls.adminUrl, urls.servicesUrl);
    // Every node's ingress must know the deployment, not just the one that registered it.
    await Promise.all(ports.nodes.map((_, index) => waitForIngress(nodeIngressUrl(index), 120_000)));
    await waitForIngress(urls.ingressUrl);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    ...urls,
    nodeCount: ports.nodes.length,
    replicaCount: ports.replicas.length,
    nodePid: (index) => {
      const child = nodes[index]?.process;
      return running(child) ? child?.pid : undefined;
    },
    replicaPid: (index) => (running(replicas[index]) ? replicas[index]?.pid : undefined),
    nodeDataDir,
    killNode: (index) => terminate(nodes[index]?.process, "SIGKILL"),
    startNode,
    killReplica: (index) => terminate(replicas[index], "SIGKILL"),
    startReplica,
    stop,
  };
}
