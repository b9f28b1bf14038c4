/**
 * Test helpers for the relational provider: a uniquely named PostgreSQL schema or MariaDB database per
 * test file, created on the real servers (PG_URL, MYSQL_URL) and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import mysql from 'mysql2/promise';

export const PG_URL = withUser(process.env.PG_URL ?? 'postgres://127.0.0.1:5432/test');

function withUser(uri: string): string {
  const url = new URL(uri);
  if (!url.username) url.username = process.env.PGUSER || process.env.USER || userInfo().username;
  return url.toString();
}
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface PgScratch {
  schema: string;
  uri: string;
  exec(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export async function pgScratch(prefix = 'cutover_t'): Promise<PgScratch> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path = "${schema}"`);
  return {
    schema,
    uri: PG_URL,
    exec: (sql, params) => client.query(sql, params),
    async drop() {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
      await client.end();
    },
  };
}

export interface MysqlScratch {
  database: string;
  uri: string;
  exec(sql: string, params?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

export async function mysqlScratch(prefix = 'cutover_t'): Promise<MysqlScratch> {
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: MYSQL_URL });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${database}\``);
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  return {
    database,
    uri: url.toString(),
    exec: (sql, params) => admin.query(sql, params),
    async drop() {
      await admin.query(`DROP DATABASE \`${database}\``).catch(() => undefined);
      await admin.end();
    },
  };
}
