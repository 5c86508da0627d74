/**
 * Versioned SQL migrations from `data/migrations/NNNN_name.sql`, applied in order at start-up,
 * each in its own transaction, under an advisory lock so concurrent starters do not race.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "./connection.ts";

const MIGRATION_LOCK = 742_311_001;
const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

const defaultMigrationsDir = new URL("../../data/migrations/", import.meta.url).pathname;

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

async function readMigrations(directory: string = defaultMigrationsDir): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => MIGRATION_FILE.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file,
      sql: await readFile(join(directory, file), "utf8"),
    })),
  );
}

/** Applies every migration not yet recorded; returns the names of those it applied. */
export async function migrate(sql: Database, directory?: string): Promise<string[]> {
  const migrations = await readMigrations(directory);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`;
    const applied = new Set(
      (await tx<{ version: number }[]>`select version from schema_migrations`).map((row) => row.version),
    );
    const pending = migrations.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await tx.unsafe(migration.sql);
      await tx`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`;
    }
    return pending.map((migration) => migration.name);
  });
}

export async function pendingMigrations(sql: Database, directory?: string): Promise<string[]> {
  const migrations = await readMigrations(directory);
  const [table] = await sql<
    { exists: boolean }[]
  >`select to_regclass('schema_migrations') is not null as exists`;
  if (!table?.exists) return migrations.map((migration) => migration.name);
  const applied = new Set(
    (await sql<{ version: number }[]>`select version from schema_migrations`).map((row) => row.version),
  );
  return migrations.filter((migration) => !applied.has(migration.version)).map((migration) => migration.name);
}
