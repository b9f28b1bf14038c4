/**
 * The relational source: connecting to PostgreSQL or MySQL/MariaDB, introspecting it, and reading it inside
 * a consistent snapshot as streams of rows (arrays of values in select order).
 *
 * - PostgreSQL: a coordinator opens a REPEATABLE READ READ ONLY transaction and exports its snapshot
 *   (pg_export_snapshot); every reader opens its own transaction and joins that snapshot, so parallel
 *   readers see exactly the same data. A stream is a server-side cursor fetched in batches.
 * - MySQL/MariaDB cannot share a snapshot between connections. "parallel": every stream has its own
 *   connection and its own START TRANSACTION WITH CONSISTENT SNAPSHOT (consistent per stream, not across
 *   streams); rows are streamed with back-pressure. "single": one connection, one consistent snapshot, and
 *   every stream reads keyset pages (`WHERE (order key) > (last) ORDER BY … LIMIT n`) in turn on it.
 * Values: PostgreSQL's arrive as their text (every type parser is the identity), MySQL's as mysql2 gives
 * them with big numbers, dates and JSON as strings.
 */
import type pg from 'pg';
import type mysql from 'mysql2/promise';
import type { Readable } from 'node:stream';
import { userInfo } from 'node:os';
import { introspectMysql } from './introspect-mysql';
import { introspectPostgres } from './introspect-postgres';
import type { DatabaseSchema, Dialect } from './schema';

export type Row = unknown[];
export type SnapshotMode = 'parallel' | 'single';

/** Adds a parameter and returns its placeholder ($n or ?). */
export type Placeholder = (value: unknown) => string;

/** A query a stream runs: its SQL given placeholders and, for keyset pages, the previous page's last order key. */
export interface StreamQuery {
  /** The number of leading select columns that form the order key (used for keyset pages). */
  orderColumns: number;
  /** False when equal order keys can repeat (tables without a primary key): pages then use OFFSET. */
  uniqueOrder: boolean;
  build(ph: Placeholder, after?: Row): string;
}

export interface RowStream {
  /** The next batch of rows, or null at the end. */
  next(): Promise<Row[] | null>;
  close(): Promise<void>;
}

export interface Snapshot {
  readonly dialect: Dialect;
  readonly description: string;
  stream(query: StreamQuery, batch: number): Promise<RowStream>;
  query(build: (ph: Placeholder) => string): Promise<Row[]>;
  close(): Promise<void>;
}

/** The server's own estimates: rows and average row size per table id (for the pre-flight report). */
export type TableStats = Map<string, { rows: number; avgRowBytes: number }>;

export interface SqlSource {
  readonly dialect: Dialect;
  introspect(): Promise<DatabaseSchema>;
  tableStats(schema: DatabaseSchema): Promise<TableStats>;
  snapshot(mode: SnapshotMode): Promise<Snapshot>;
  close(): Promise<void>;
}

export function quoteIdent(dialect: Dialect, name: string): string {
  return dialect === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}

export function placeholders(dialect: Dialect, params: unknown[]): Placeholder {
  return (value) => {
    params.push(value);
    return dialect === 'postgres' ? `$${params.length}` : '?';
  };
}

/** `schemas`: PostgreSQL schemas to read (default: every schema but the system ones); MySQL reads the URL's database. */
export function openSource(dialect: Dialect, uri: string, schemas?: string[]): SqlSource {
  return dialect === 'postgres' ? new PostgresSource(uri, schemas) : new MysqlSource(uri);
}

// ---------------------------------------------------------------- PostgreSQL

const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
const PG_SESSION =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'; SET extra_float_digits = 3";

/** As psql does, a URL without a user name connects as the operating system's user. */
/**
 * The drivers load when a relational connection is first used (issue 15): the app, the command line and
 * every other job start without them.
 */
let pgModule: Promise<typeof pg> | undefined;
const loadPg = (): Promise<typeof pg> => (pgModule ??= import('pg').then((m) => m.default));
let mysqlModule: Promise<typeof mysql> | undefined;
const loadMysql = (): Promise<typeof mysql> => (mysqlModule ??= import('mysql2/promise').then((m) => m.default));

function pgConfig(uri: string): pg.ClientConfig {
  const url = new URL(uri);
  // pg lets the connection string's (absent) user override config.user, so the name goes into the URL.
  if (!url.username) url.username = encodeURIComponent(process.env.PGUSER || process.env.USER || userInfo().username);
  return { connectionString: url.toString(), application_name: 'Cutover' };
}

async function pgClient(uri: string): Promise<pg.Client> {
  const { Client } = await loadPg();
  const client = new Client({ ...pgConfig(uri), types: RAW_TYPES });
  await client.connect();
  client.on('error', () => undefined); // a dropped connection fails the query in progress instead
  await client.query(PG_SESSION);
  return client;
}

class PostgresSource implements SqlSource {
  readonly dialect = 'postgres' as const;
  constructor(
    private readonly uri: string,
    private readonly schemas?: string[],
  ) {}

  async introspect(): Promise<DatabaseSchema> {
    const { Client } = await loadPg();
    const client = new Client(pgConfig(this.uri));
    await client.connect();
    try {
      return await introspectPostgres(client, this.schemas);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async tableStats(schema: DatabaseSchema): Promise<TableStats> {
    const { Client } = await loadPg();
    const client = new Client(pgConfig(this.uri));
    await client.connect();
    try {
      const stats: TableStats = new Map();
      for (const table of schema.tables) {
        const ref = `${quoteIdent('postgres', table.schema)}.${quoteIdent('postgres', table.name)}`;
        const { rows } = await client.query<{ rows: string; bytes: string }>(
          `SELECT c.reltuples::bigint AS rows, pg_table_size(c.oid) AS bytes FROM pg_class c WHERE c.oid = $1::regclass`,
          [ref],
        );
        let count = Number(rows[0]?.rows ?? -1);
        // Never analysed (reltuples -1): count, as such a table is usually new and small.
        if (count < 0)
          count = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ref}`)).rows[0].n);
        stats.set(table.id, { rows: count, avgRowBytes: count > 0 ? Number(rows[0]?.bytes ?? 0) / count : 0 });
      }
      return stats;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async snapshot(): Promise<Snapshot> {
    const coordinator = await pgClient(this.uri);
    await coordinator.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const id = (await coordinator.query({ text: 'SELECT pg_export_snapshot()', rowMode: 'array' }))
      .rows[0][0] as string;
    const uri = this.uri;
    let cursors = 0;
    const join = async () => {
      const client = await pgClient(uri);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET TRANSACTION SNAPSHOT '${id.replace(/'/g, "''")}'`);
      return client;
    };
    return {
      dialect: 'postgres',
      description: `one consistent snapshot (${id}) shared by every reader`,
      async stream(query, batch) {
        const client = await join();
        const params: unknown[] = [];
        const name = `cutover_${++cursors}`;
        try {
          await client.query(
            `DECLARE ${name} NO SCROLL CURSOR FOR ${query.build(placeholders('postgres', params))}`,
            params,
          );
        } catch (error) {
          await client.end().catch(() => undefined);
          throw error;
        }
        let ended = false;
        const close = async () => {
          if (ended) return;
          ended = true;
          await client.end().catch(() => undefined);
        };
        return {
          async next() {
            if (ended) return null;
            const result = await client.query({ text: `FETCH ${batch} FROM ${name}`, rowMode: 'array' });
            if (result.rows.length === 0) {
              await close();
              return null;
            }
            return result.rows as Row[];
          },
          close,
        };
      },
      async query(build) {
        const params: unknown[] = [];
        const text = build(placeholders('postgres', params));
        return (await coordinator.query({ text, values: params, rowMode: 'array' })).rows as Row[];
      },
      async close() {
        await coordinator.query('COMMIT').catch(() => undefined);
        await coordinator.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {}
}

// ---------------------------------------------------------------- MySQL / MariaDB

function mysqlOptions(uri: string): mysql.ConnectionOptions {
  return {
    uri,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
    timezone: 'Z',
    multipleStatements: false,
  } as mysql.ConnectionOptions;
}

export function mysqlDatabase(uri: string): string {
  const name = decodeURIComponent(new URL(uri).pathname.replace(/^\//, ''));
  if (!name)
    throw new Error(
      'The MySQL/MariaDB connection string names no database: add it after the host (mysql://user@host:3306/shop).',
    );
  return name;
}

async function mysqlConnection(uri: string): Promise<mysql.Connection> {
  const conn = await (await loadMysql()).createConnection(mysqlOptions(uri));
  conn.on('error', () => undefined);
  await conn.query("SET time_zone = '+00:00'");
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  return conn;
}

async function consistentSnapshot(conn: mysql.Connection): Promise<void> {
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
}

class MysqlSource implements SqlSource {
  readonly dialect = 'mysql' as const;
  constructor(private readonly uri: string) {}

  async introspect(): Promise<DatabaseSchema> {
    const conn = await (await loadMysql()).createConnection(mysqlOptions(this.uri));
    try {
      return await introspectMysql(conn, [mysqlDatabase(this.uri)]);
    } finally {
      await conn.end().catch(() => undefined);
    }
  }

  async tableStats(schema: DatabaseSchema): Promise<TableStats> {
    const conn = await (await loadMysql()).createConnection(mysqlOptions(this.uri));
    try {
      const [rows] = (await conn.query(
        `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)`,
        [[...new Set(schema.tables.map((t) => t.schema))]],
      )) as unknown as [
        Array<{
          TABLE_SCHEMA: string;
          TABLE_NAME: string;
          TABLE_ROWS: number | string | null;
          AVG_ROW_LENGTH: number | string | null;
        }>,
      ];
      const stats: TableStats = new Map();
      for (const r of rows)
        stats.set(`${r.TABLE_SCHEMA}.${r.TABLE_NAME}`, {
          rows: Number(r.TABLE_ROWS ?? 0),
          avgRowBytes: Number(r.AVG_ROW_LENGTH ?? 0),
        });
      return stats;
    } finally {
      await conn.end().catch(() => undefined);
    }
  }

  async snapshot(mode: SnapshotMode): Promise<Snapshot> {
    const main = await mysqlConnection(this.uri);
    await consistentSnapshot(main);
    const uri = this.uri;
    const run = async (build: (ph: Placeholder) => string, conn = main): Promise<Row[]> => {
      const params: unknown[] = [];
      const sql = build(placeholders('mysql', params));
      const [rows] = await conn.query({ sql, values: params, rowsAsArray: true });
      return rows as Row[];
    };
    return {
      dialect: 'mysql',
      description:
        mode === 'single'
          ? 'one consistent snapshot on one connection (tables read in turn, keyset pages)'
          : 'a consistent snapshot per stream (MySQL/MariaDB cannot share one between connections)',
      async stream(query, batch) {
        if (mode === 'single') return pagedStream(query, batch, (build) => run(build));
        const conn = await mysqlConnection(uri);
        // A streamed result waits while the other streams (or a paused job) are busy; the server's default
        // net_write_timeout (60 s) would drop it, so this session waits as long as an idle session may (8 h).
        await conn.query('SET SESSION net_write_timeout = 28800');
        await consistentSnapshot(conn);
        return streamedRows(conn, query, batch);
      },
      query: (build) => run(build),
      async close() {
        await main.query('COMMIT').catch(() => undefined);
        await main.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {}
}

/** Keyset pages on one connection: each page starts after the previous page's last order key. */
function pagedStream(
  query: StreamQuery,
  batch: number,
  run: (build: (ph: Placeholder) => string) => Promise<Row[]>,
): RowStream {
  let after: Row | undefined;
  let offset = 0;
  let ended = false;
  return {
    async next() {
      if (ended) return null;
      // Rows with equal order keys (identical rows of a table without a primary key) must not be skipped.
      const rows = query.uniqueOrder
        ? await run((ph) => `${query.build(ph, after)} LIMIT ${batch}`)
        : await run((ph) => `${query.build(ph)} LIMIT ${batch} OFFSET ${offset}`);
      offset += rows.length;
      if (rows.length < batch) ended = true;
      if (rows.length === 0) return null;
      after = rows[rows.length - 1].slice(0, query.orderColumns);
      return rows;
    },
    async close() {
      ended = true;
    },
  };
}

/** One streamed query on its own connection: rows flow as they are consumed (the socket pauses in between). */
function streamedRows(conn: mysql.Connection, query: StreamQuery, batch: number): RowStream {
  const params: unknown[] = [];
  const sql = query.build(placeholders('mysql', params));
  // The promise wrapper's underlying callback connection streams results.
  const raw = (
    conn as unknown as {
      connection: { query(options: object, values: unknown[]): { stream(options: object): Readable } };
    }
  ).connection;
  const stream = raw.query({ sql, rowsAsArray: true }, params).stream({ highWaterMark: batch });
  const iterator = stream[Symbol.asyncIterator]();
  let ended = false;
  const close = async () => {
    if (ended) return;
    ended = true;
    stream.destroy();
    conn.destroy();
  };
  return {
    async next() {
      if (ended) return null;
      const rows: Row[] = [];
      while (rows.length < batch) {
        const { value, done } = await iterator.next();
        if (done) break;
        rows.push(value as Row);
      }
      if (rows.length === 0) {
        await close();
        return null;
      }
      return rows;
    },
    close,
  };
}
