/**
 * The shape of `npm run cluster` on one machine, as plain data: three Restate nodes (replicated
 * log and metadata, replication 2, pinned names, loopback ports), service replicas, and the
 * HAProxy configuration that balances the ingress and admin API over the nodes, the dashboard
 * over the replicas, and Restate's HTTP/2 streams to the replicas' endpoints.
 */

export interface NodePorts {
  /** Host name of the node (a compose service name); loopback when unset. */
  readonly host?: string;
  /** Node-to-node RPC (fabric) port, the node's advertised address. */
  readonly node: number;
  readonly ingress: number;
  readonly admin: number;
}

export interface ReplicaPorts {
  readonly host?: string;
  readonly endpoint: number;
  readonly dashboard: number;
}

export interface ClusterPorts {
  readonly nodes: readonly NodePorts[];
  readonly replicas: readonly ReplicaPorts[];
  /** The balanced addresses: what clients, the CLI and the registration use. */
  readonly ingress: number;
  readonly admin: number;
  readonly services: number;
  readonly dashboard: number;
}

/** Fixed loopback ports of `npm run cluster`: the balancers sit on the ports `npm start` uses. */
export const defaultClusterPorts: ClusterPorts = {
  nodes: [1, 2, 3].map((n) => ({ node: 15121 + n, ingress: 18080 + n, admin: 19070 + n })),
  replicas: [1, 2].map((n) => ({ endpoint: 19080 + n, dashboard: 13000 + n })),
  ingress: 8080,
  admin: 9070,
  services: 9080,
  dashboard: 3000,
};

export const clusterName = "procure";
export const nodeName = (index: number) => `restate-${index + 1}`;
export const replicaName = (index: number) => `replica-${index + 1}`;
const loopback = "127.0.0.1";
const url = (port: number) => `http://${loopback}:${port}`;
const nodeUrl = (node: NodePorts) => `http://${node.host ?? loopback}:${node.node}`;

export function balancedUrls(ports: ClusterPorts) {
  return {
    ingressUrl: url(ports.ingress),
    adminUrl: url(ports.admin),
    servicesUrl: url(ports.services),
    dashboardUrl: url(ports.dashboard),
  };
}

/**
 * RESTATE_* overrides of restate.toml for one node. Every node runs every role; the first one
 * provisions the cluster (on its first start only) and the others join through the metadata
 * servers. Replication 2 of the log and the partitions: any one node may fail.
 */
export function restateNodeEnv(
  ports: ClusterPorts,
  index: number,
  options: { readonly partitions?: number } = {},
): Record<string, string> {
  const node = ports.nodes[index];
  if (node === undefined) throw new Error(`no Restate node ${index + 1} in the topology`);
  return {
    RESTATE_NODE_NAME: nodeName(index),
    RESTATE_CLUSTER_NAME: clusterName,
    RESTATE_ROLES: JSON.stringify(["metadata-server", "admin", "worker", "log-server", "http-ingress"]),
    RESTATE_BIND_PORT: String(node.node),
    RESTATE_ADVERTISED_ADDRESS: nodeUrl(node),
    RESTATE_INGRESS__BIND_PORT: String(node.ingress),
    RESTATE_ADMIN__BIND_PORT: String(node.admin),
    RESTATE_AUTO_PROVISION: String(index === 0),
    RESTATE_DEFAULT_REPLICATION: "2",
    RESTATE_BIFROST__DEFAULT_PROVIDER: "replicated",
    RESTATE_METADATA_SERVER__TYPE: "replicated",
    RESTATE_METADATA_CLIENT__ADDRESSES: JSON.stringify(ports.nodes.map(nodeUrl)),
    ...(options.partitions === undefined
      ? {}
      : { RESTATE_DEFAULT_NUM_PARTITIONS: String(options.partitions) }),
  };
}

/** Environment of one service replica: endpoint and dashboard only; the launcher registers. */
export function replicaEnv(ports: ClusterPorts, index: number): Record<string, string> {
  const replica = ports.replicas[index];
  if (replica === undefined) throw new Error(`no service replica ${index + 1} in the topology`);
  const urls = balancedUrls(ports);
  return {
    SERVICE_PORT: String(replica.endpoint),
    DASHBOARD_PORT: String(replica.dashboard),
    SERVICE_ADVERTISED_URL: urls.servicesUrl,
    RESTATE_START_SERVER: "false",
    RESTATE_REGISTER_DEPLOYMENT: "false",
    RESTATE_INGRESS_URL: urls.ingressUrl,
    RESTATE_ADMIN_URL: urls.adminUrl,
  };
}

/** The topology of docker-compose.cluster.yml: each process in its own container, default ports. */
export const composeClusterPorts: ClusterPorts = {
  nodes: [1, 2, 3].map((n) => ({ host: `restate-${n}`, node: 5122, ingress: 8080, admin: 9070 })),
  replicas: [1, 2].map((n) => ({ host: `procure-${n}`, endpoint: 9080, dashboard: 3000 })),
  ingress: 8080,
  admin: 9070,
  services: 9080,
  dashboard: 3000,
};

interface Backend {
  readonly name: string;
  readonly bind: number;
  /** Speaks HTTP/2 without TLS (h2c) on both sides: Restate's invocation streams. */
  readonly h2: boolean;
  readonly healthPath: string;
  readonly servers: readonly {
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly checkPort: number;
  }[];
}

function backends(ports: ClusterPorts): Backend[] {
  const nodeServers = (port: (node: NodePorts) => number) =>
    ports.nodes.map((node, index) => ({
      name: nodeName(index),
      host: node.host ?? loopback,
      port: port(node),
      checkPort: port(node),
    }));
  const replicaServers = (port: (replica: ReplicaPorts) => number) =>
    ports.replicas.map((replica, index) => ({
      name: replicaName(index),
      host: replica.host ?? loopback,
      port: port(replica),
      checkPort: replica.dashboard,
    }));
  return [
    {
      name: "restate_ingress",
      bind: ports.ingress,
      h2: false,
      healthPath: "/restate/health",
      servers: nodeServers((node) => node.ingress),
    },
    {
      name: "restate_admin",
      bind: ports.admin,
      h2: false,
      healthPath: "/health",
      servers: nodeServers((node) => node.admin),
    },
    {
      name: "procure_services",
      bind: ports.services,
      h2: true,
      healthPath: "/healthz",
      servers: replicaServers((replica) => replica.endpoint),
    },
    {
      name: "procure_dashboard",
      bind: ports.dashboard,
      h2: false,
      healthPath: "/healthz",
      servers: replicaServers((replica) => replica.dashboard),
    },
  ];
}

/**
 * HAProxy configuration. In HTTP mode HAProxy balances every HTTP/2 stream on its own, so
 * Restate's few long-lived connections still spread invocations over the replicas. Health checks
 * take a dead process out within about two seconds; a request that cannot connect is redispatched
 * to another server, and nothing that reached a server is ever retried (POSTs are not idempotent).
 */
export function haproxyConfig(
  ports: ClusterPorts,
  options: { readonly bindHost?: string; readonly dockerDns?: boolean; readonly statsSocket?: string } = {},
): string {
  const bindHost = options.bindHost ?? loopback;
  // In compose, servers are container names: resolve them through Docker's DNS, at start-up and
  // again when a container comes back with another address; an absent one starts as down.
  const resolution = options.dockerDns ? " init-addr last,libc,none resolvers docker" : "";
  const lines = [
    "global",
    "  maxconn 4096",
    // Per-server counters for operators and the chaos test: `echo "show stat" | socat - <socket>`.
    ...(options.statsSocket ? [`  stats socket ${options.statsSocket} mode 600 level user`] : []),
    ...(options.dockerDns
      ? ["", "resolvers docker", "  nameserver docker 127.0.0.11:53", "  hold valid 10s"]
      : []),
    "",
    "defaults",
    "  mode http",
    "  option redispatch",
    "  retries 3",
    "  retry-on conn-failure",
    "  timeout connect 2s",
    // Invocations stream for as long as a handler runs; uploads can take minutes.
    "  timeout client 15m",
    "  timeout server 15m",
    "  timeout http-request 15m",
    "  timeout http-keep-alive 1m",
    `  default-server inter 1s fall 2 rise 2${resolution}`,
  ];
  for (const backend of backends(ports)) {
    const proto = backend.h2 ? " proto h2" : "";
    lines.push(
      "",
      `frontend ${backend.name}`,
      `  bind ${bindHost}:${backend.bind}${proto}`,
      `  default_backend ${backend.name}`,
      "",
      `backend ${backend.name}`,
      "  balance roundrobin",
      `  option httpchk GET ${backend.healthPath}`,
      "  http-check expect status 200",
      ...backend.servers.map(
        (server) =>
          `  server ${server.name} ${server.host}:${server.port}${proto} check port ${server.checkPort} check-proto h1`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
