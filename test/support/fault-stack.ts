/**
 * The stack of the fault tests: its own database behind a TCP proxy the tests cut, a loopback
 * shop, and a direct connection to the database that bypasses the proxy.
 */
import { connectDatabase, type Database } from "../../shared/db/connection.ts";
import { startDatabaseProxy, type DatabaseProxy } from "./db-proxy.ts";
import { startShop, type Shop } from "./shop.ts";
import { startOwnStack, type OwnStack } from "./stack.ts";

export interface FaultStack {
  readonly stack: OwnStack;
  readonly proxy: DatabaseProxy;
  readonly shop: Shop;
  readonly db: Database;
  close(): Promise<void>;
}

export async function startFaultStack(env: Record<string, string>): Promise<FaultStack> {
  const proxy = await startDatabaseProxy();
  const stack = await startOwnStack({ env, routeDatabase: (url) => proxy.route(url) });
  const shop = await startShop();
  const db = connectDatabase(stack.database.url, { maxConnections: 1 });
  return {
    stack,
    proxy,
    shop,
    db,
    async close() {
      await db.end();
      await shop.close();
      await stack.stop();
      await proxy.close();
    },
  };
}
