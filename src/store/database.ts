// One SQL dialect on two engines: embedded PGlite by default, PostgreSQL when DATABASE_URL is set.
import { readdir, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

export interface Queryable {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
  /** Runs several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `work` in one transaction; a throw rolls everything back. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export type DatabaseOptions =
  | { engine: 'pglite'; dataDir: string | undefined }
  | { engine: 'postgres'; url: string; schema?: string; maxConnections?: number };

/** Opens the database and applies pending migrations. `dataDir: undefined` keeps PGlite in memory. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.engine === 'pglite' ? await openPglite(options.dataDir) : openPostgres(options);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? join(dataDir, 'pglite') : undefined);
  let closed = false;
  return {
    engine: 'pglite',
    query: async (sql, params) => ({ rows: (await db.query<Row>(sql, params ? [...params] : [])).rows }),
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (sql, params) => ({ rows: (await tx.query<Row>(sql, params ? [...params] : [])).rows }),
          exec: async (sql) => void (await tx.exec(sql)),
        }),
      ),
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

function openPostgres(options: { url: string; schema?: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  let closed = false;
  return {
    engine: 'postgres',
    query: async (sql, params) => ({ rows: (await pool.query<Row>(sql, params ? [...params] : [])).rows }),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work({
          query: async (sql, params) => ({ rows: (await client.query<Row>(sql, params ? [...params] : [])).rows }),
          exec: async (sql) => void (await client.query(sql)),
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Applies numbered, append-only migrations once each; an advisory lock keeps concurrent instances in line. */
async function migrate(database: Database): Promise<void> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name)).sort();
  await database.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(727274)');
    await tx.query('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    const applied = new Set((await tx.query('select name from schema_migrations')).rows.map((row) => String(row.name)));
    for (const name of files) {
      if (applied.has(name)) continue;
      const sql = await readFile(new URL(name, MIGRATIONS_DIR), 'utf8');
      await tx.exec(sql);
      await tx.query('insert into schema_migrations (name) values ($1)', [name]);
    }
  });
}
