/**
 * The connections of this run: what the person opened or brought in by file. Credentials stay here,
 * on the main side; the window only ever sees summaries with redacted URIs.
 */
import { randomUUID } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import type { ConnectionContext } from '../../providers/api/index';
import type { ConnectionSummary, DatabaseInfo } from '../../preload/contract';
import { ConnectionStringError, parseConnectionString, type ParsedConnection } from './connection-string';
import { describeMongoError } from './mongo-errors';
import type { SavedConnectionStore } from './saved-connections/store';
import { openPingedClient } from '../../providers/api/mongo-connect';
import { NotFoundError } from '../../providers/api/errors';

interface OpenConnection {
  summary: ConnectionSummary;
  parsed: ParsedConnection;
  /** The server accepted the credentials (or there were none to check yet). */
  authenticated: boolean;
  client?: MongoClient;
}

export interface ConnectionsOptions {
  /** How long to wait for a server before giving up (ms). */
  connectTimeoutMs?: number;
  /** Saved connections, for connectSaved. */
  saved?: SavedConnectionStore;
}

export { NotFoundError };

export class Connections {
  private readonly open = new Map<string, OpenConnection>();

  constructor(private readonly options: ConnectionsOptions = {}) {}

  /** Parses the string and, for MongoDB, checks that the server answers before keeping it. */
  async connect(uri: string, name?: string): Promise<ConnectionSummary> {
    const parsed = parseConnectionString(uri);
    const entry = this.entryFor(parsed, name);
    if (parsed.kind === 'mongodb') {
      entry.client = await this.mongoClient(parsed);
      entry.authenticated = parsed.hasCredentials;
    }
    this.open.set(entry.summary.id, entry);
    return entry.summary;
  }

  /**
   * Opens a saved connection (checking the server answers, as connect does) and records when it was
   * last used. Opening the same saved connection again gives the one already open.
   */
  async connectSaved(savedId: string): Promise<ConnectionSummary> {
    const saved = this.options.saved;
    if (!saved) throw new NotFoundError('There are no saved connections here.');
    const already = [...this.open.values()].find((c) => c.summary.savedId === savedId);
    const { name } = await saved.get(savedId);
    const summary = already?.summary ?? (await this.connect(await saved.uriOf(savedId), name));
    summary.savedId = savedId;
    await saved.touch(savedId);
    return summary;
  }

  /** Keeps a connection without contacting the server (connections brought in by files). */
  add(parsed: ParsedConnection, name?: string): ConnectionSummary {
    const entry = this.entryFor(parsed, name);
    this.open.set(entry.summary.id, entry);
    return entry.summary;
  }

  list(): ConnectionSummary[] {
    return [...this.open.values()].map((c) => c.summary);
  }

  context(id: string): { connection: ConnectionContext; authenticated: boolean } {
    const entry = this.require(id);
    return {
      connection: {
        id,
        kind: entry.parsed.kind,
        name: entry.summary.name,
        uri: entry.parsed.uri,
        redactedUri: entry.parsed.redactedUri,
      },
      authenticated: entry.authenticated,
    };
  }

  async browse(id: string): Promise<DatabaseInfo[]> {
    const entry = this.require(id);
    if (entry.parsed.kind !== 'mongodb')
      throw new Error(`Browsing a ${entry.parsed.kind} connection is not supported yet.`);
    entry.client ??= await this.mongoClient(entry.parsed);
    const where = entry.summary.host;
    try {
      const admin = entry.client.db(entry.parsed.defaultDatabase ?? 'admin');
      const dbs = entry.parsed.defaultDatabase
        ? [{ name: entry.parsed.defaultDatabase, sizeOnDisk: undefined }]
        : (await admin.admin().listDatabases({ nameOnly: false })).databases;
      const databases: DatabaseInfo[] = [];
      // Cutover's own copy state (checkpoints kept on a target) is not the person's data.
      for (const db of dbs.filter((d) => d.name !== '__cutover')) {
        const handle = entry.client.db(db.name);
        const collections = (
          await handle.listCollections({}, { nameOnly: false, authorizedCollections: true }).toArray()
        ).filter((c) => !c.name.startsWith('system.'));
        databases.push({
          name: db.name,
          sizeOnDisk: typeof db.sizeOnDisk === 'number' ? db.sizeOnDisk : undefined,
          collections: (
            await Promise.all(
              collections.map(async (c) => ({
                name: c.name,
                type: String(c.type ?? 'collection'),
                ...(c.type === 'view' ? {} : await collectionSize(handle, c.name)),
              })),
            )
          ).sort((a, b) => a.name.localeCompare(b.name)),
        });
      }
      entry.authenticated = entry.parsed.hasCredentials;
      return databases.sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      throw new Error(describeMongoError(error, where));
    }
  }

  async close(id: string): Promise<void> {
    const entry = this.open.get(id);
    this.open.delete(id);
    await entry?.client?.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }

  private entryFor(parsed: ParsedConnection, name?: string): OpenConnection {
    const id = randomUUID();
    return {
      parsed,
      authenticated: false,
      summary: {
        id,
        kind: parsed.kind,
        name: name?.trim() || parsed.host,
        redactedUri: parsed.redactedUri,
        host: parsed.host,
        hasCredentials: parsed.hasCredentials,
      },
    };
  }

  /** The driver client of an open MongoDB connection (the data view reads through it). */
  async mongoClientOf(id: string): Promise<{ client: MongoClient; where: string }> {
    const entry = this.require(id);
    if (entry.parsed.kind !== 'mongodb') throw new Error(`A ${entry.parsed.kind} connection has no documents to show.`);
    entry.client ??= await this.mongoClient(entry.parsed);
    return { client: entry.client, where: entry.summary.host };
  }

  private async mongoClient(parsed: ParsedConnection): Promise<MongoClient> {
    try {
      return await openPingedClient(parsed.uri, { timeoutMs: this.options.connectTimeoutMs ?? 8_000 });
    } catch (error) {
      if ((error as Error).name === 'MongoParseError')
        throw new ConnectionStringError(`Invalid MongoDB connection string: ${(error as Error).message}`);
      throw new Error(describeMongoError(error, parsed.host));
    }
  }

  private require(id: string): OpenConnection {
    const entry = this.open.get(id);
    if (!entry) throw new NotFoundError(`No open connection ${id}: connect again.`);
    return entry;
  }
}

/** Document count and data size of a collection, from the server's statistics (cheap, approximate). */
async function collectionSize(db: Db, name: string): Promise<{ count?: number; size?: number }> {
  try {
    const [stats] = await db
      .collection(name)
      .aggregate<{ storageStats?: { count?: number; size?: number } }>([{ $collStats: { storageStats: {} } }])
      .toArray();
    return { count: Number(stats?.storageStats?.count ?? 0), size: Number(stats?.storageStats?.size ?? 0) };
  } catch {
    try {
      return { count: await db.collection(name).estimatedDocumentCount() };
    } catch {
      return {};
    }
  }
}
