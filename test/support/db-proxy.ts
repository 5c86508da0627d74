/**
 * A TCP proxy in front of the real PostgreSQL, for database-outage tests: the service connects
 * through it; `cut()` closes its listener (new connections are refused) and drops every open
 * connection, `restore()` listens again on the same port.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { freePort } from "./stack.ts";

export interface DatabaseProxy {
  /** The given database URL, pointed at the proxy. */
  route(databaseUrl: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startDatabaseProxy(target = { host: "127.0.0.1", port: 5432 }): Promise<DatabaseProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  let server: Server | undefined;
  const listen = async () => {
    const next = createServer((client) => {
      const upstream = connect(target.port, target.host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => resolve());
    });
    server = next;
  };
  const cut = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  return {
    route(databaseUrl) {
      const url = new URL(databaseUrl);
      url.port = String(port);
      return url.href;
    },
    cut,
    restore: listen,
    close: cut,
  };
}
