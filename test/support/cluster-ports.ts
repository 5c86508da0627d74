/** Free loopback ports for a whole `npm run cluster` topology (the chaos test, bench:scale). */
import type { ClusterPorts } from "../../scripts/cluster/topology.ts";
import { freePort } from "./stack.ts";

async function several<T>(count: number, make: () => Promise<T>): Promise<T[]> {
  const items: T[] = [];
  for (let n = 0; n < count; n++) items.push(await make());
  return items;
}

export async function freeClusterPorts(nodes = 3, replicas = 2): Promise<ClusterPorts> {
  return {
    nodes: await several(nodes, async () => ({
      node: await freePort(),
      ingress: await freePort(),
      admin: await freePort(),
    })),
    replicas: await several(replicas, async () => ({
      endpoint: await freePort(),
      dashboard: await freePort(),
    })),
    ingress: await freePort(),
    admin: await freePort(),
    services: await freePort(),
    dashboard: await freePort(),
  };
}
