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
import { createConnection } from "node:net";
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
  /**
   * When set, a node or replica that exits on its own (not through stop or the kill controls)
   * is started again after a short pause, and each such event is reported here.
   */
  readonly supervise?: (message: string) => void;
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
  /** Requests (HTTP/2 streams: invocations) each replica's endpoint has taken, from HAProxy. */
  streamsPerReplica(): Promise<Record<string, number>>;
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

/** One command on HAProxy's stats socket; answers its whole reply. */
function askHaproxy(socket: string, command: string): Promise<string> {
  return new Promise((resolveReply, reject) => {
    const connection = createConnection(socket, () => connection.end(`${command}\n`));
    let reply = "";
    connection.on("data", (chunk: Buffer) => (reply += chunk.toString()));
    connection.once("end", () => resolveReply(reply));
    connection.once("error", reject);
  });
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
  const statsSocket = join(dataDir, "haproxy.sock");
  await writeFile(haproxyFile, haproxyConfig(ports, { statsSocket }));
  const haproxy = await startHaproxy(haproxyFile, join(dataDir, "haproxy.log"));

  const nodes: (RestateServer | undefined)[] = ports.nodes.map(() => undefined);
  const replicas: (ChildProcess | undefined)[] = ports.replicas.map(() => undefined);
  const nodeDataDir = (index: number) => join(dataDir, nodeName(index));
  const nodeAdminUrl = (index: number) => `http://127.0.0.1:${ports.nodes[index]?.admin}`;
  const nodeIngressUrl = (index: number) => `http://127.0.0.1:${ports.nodes[index]?.ingress}`;

  let stopping = false;
  const deliberate = new WeakSet<ChildProcess>();
  const superviseChild = (child: ChildProcess, name: string, restart: () => Promise<void>) => {
    const report = options.supervise;
    if (report === undefined) return;
    child.once("exit", (code, signal) => {
      if (stopping || deliberate.has(child)) return;
      report(
        `${name} exited (${signal ?? `code ${code}`}); starting it again (log: ${join(dataDir, `${name}.log`)})`,
      );
      setTimeout(() => {
        if (stopping) return;
        restart().then(
          () => report(`${name} is back`),
          (error: unknown) => report(`${name} could not be started again: ${String(error)}`),
        );
      }, 2_000);
    });
  };

  const startNode = async (index: number): Promise<void> => {
    nodes[index] = await startRestateServer({
      configFile: join(projectRoot, "restate.toml"),
      workingDir: projectRoot,
      dataDir: nodeDataDir(index),
      logFile: join(dataDir, `${nodeName(index)}.log`),
      env: restateNodeEnv(ports, index, { partitions: options.partitions }),
    });
    superviseChild(nodes[index].process, nodeName(index), () => startNode(index));
    await waitForAdmin(nodeAdminUrl(index), 120_000);
  };
  const startReplica = async (index: number): Promise<void> => {
    const replica = await startReplicaProcess(
      {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        PROCURE_DATA_DIR: join(dataDir, replicaName(index)),
        ...options.replicaEnv,
        ...replicaEnv(ports, index),
      },
      join(dataDir, `${replicaName(index)}.log`),
    );
    replicas[index] = replica;
    superviseChild(replica, replicaName(index), () => startReplica(index));
  };
  const killDeliberately = async (child: ChildProcess | undefined) => {
    if (child !== undefined) deliberate.add(child);
    await terminate(child, "SIGKILL");
  };
  const stop = async () => {
    stopping = true;
    await Promise.all(replicas.map((replica) => terminate(replica, "SIGTERM")));
    await Promise.all(nodes.map(async (node) => node?.stop()));
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
    killNode: (index) => killDeliberately(nodes[index]?.process),
    startNode,
    killReplica: (index) => killDeliberately(replicas[index]),
    startReplica,
    streamsPerReplica: async () => {
      const rows = (await askHaproxy(statsSocket, "show stat")).split("\n");
      const header = rows[0]?.replace(/^# /, "").split(",") ?? [];
      const column = (name: string) => header.indexOf(name);
      const counts: Record<string, number> = {};
      for (const row of rows.slice(1).map((line) => line.split(","))) {
        if (row[column("pxname")] !== "procure_services") continue;
        const server = row[column("svname")] ?? "";
        if (server !== "FRONTEND" && server !== "BACKEND") counts[server] = Number(row[column("stot")]);
      }
      return counts;
    },
    stop,
  };
}
