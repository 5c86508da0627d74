/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: PGlite (Postgres compiled to WASM)
 * served on a loopback port by @electric-sql/pglite-socket, so the same driver and SQL apply.
 */
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
}): Promise<EmbeddedPostgres> {
  await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  // PGlite runs one query at a time; the socket server queues the clients' queries and keeps a
  // transaction's queries together, so several clients (service, CLI doctor, tests) can share it.
  const server = new PGLiteSocketServer({ db, host: options.host, port: options.port, maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@${options.host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
