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
  const server = new PGLiteSocketServer({ db, host: options.host, port: options.port });
  await server.start();
  return {
    url: `postgres://postgres@${options.host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
