/**
 * `npm run cluster`: procure scaled out on one machine — three Restate nodes (replicated log and
 * metadata, replication 2), two service replicas behind HAProxy (HTTP/2 streams balanced), a
 * balanced ingress, admin API and dashboard, and the PostgreSQL at DATABASE_URL. Data stays under
 * PROCURE_DATA_DIR/cluster between runs. Ctrl-C stops everything; the children die with it.
 */
import "../shared/runtime/polyfill.ts";
import { resolve } from "node:path";
import { loadConfig } from "../shared/config/index.ts";
import { startCluster } from "./cluster/launch.ts";
import { defaultClusterPorts, nodeName, replicaName } from "./cluster/topology.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL === undefined) {
    throw new Error(
      "DATABASE_URL is not set: the cluster's replicas share one real PostgreSQL " +
        "(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/procure npm run cluster)",
    );
  }
  const dataDir = resolve(config.PROCURE_DATA_DIR, "cluster");
  const ports = defaultClusterPorts;
  console.log(`starting 3 Restate nodes, 2 service replicas and HAProxy (logs in ${dataDir})…`);
  const cluster = await startCluster({
    ports,
    dataDir,
    databaseUrl: config.DATABASE_URL,
    supervise: (message) => console.log(`${new Date().toISOString()} ${message}`),
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the cluster…`);
    void cluster.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  console.log(
    [
      "procure cluster is up",
      `  dashboard ${cluster.dashboardUrl}   (balanced over ${ports.replicas.length} replicas)`,
      `  ingress   ${cluster.ingressUrl}   (balanced over ${ports.nodes.length} Restate nodes)`,
      `  admin     ${cluster.adminUrl}   (UI at /ui)`,
      `  endpoint  ${cluster.servicesUrl}   (HTTP/2, registered once with Restate)`,
      ...ports.nodes.map(
        (node, index) =>
          `  ${nodeName(index)} node :${node.node} ingress :${node.ingress} admin :${node.admin} pid ${cluster.nodePid(index)}`,
      ),
      ...ports.replicas.map(
        (replica, index) =>
          `  ${replicaName(index)} endpoint :${replica.endpoint} dashboard :${replica.dashboard} pid ${cluster.replicaPid(index)}`,
      ),
      "  database  PostgreSQL (DATABASE_URL)",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(`cluster start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
