/**
 * Saved connections, kept in `<dataDir>/connections.json`: name, kind, host, favourite, last used, when
 * it was added and the connection string without its secrets. The secrets (password, token, secret
 * options) are sealed through the SecretStore, so nothing secret is ever written in plain text.
 *
 * The file is validated with zod when read and replaced atomically (write a temporary file, then
 * rename) on every change; a change that cannot be written leaves both the file and memory as they were.
 * A file that cannot be read is never overwritten.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConnectionKindSchema, type SavedConnection } from '../../../preload/contract';
import { ConnectionStringError, parseConnectionString } from '../connection-string';
import type { SecretStore } from '../secret-store';
import { CutoverError, NotFoundError } from '../../../providers/api/errors';
import { cooperative } from '../connection-files/cooperative';
import type { ExportEntry } from '../connection-files/cutover-file';
import {
  REDACTED,
  connectionIdentity,
  credentialTargetChange,
  joinSecrets,
  keepRedactedSecrets,
  redactUri,
  splitSecrets,
  userOf,
  type UriSecrets,
} from './uri-secrets';

const RecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().max(200),
  kind: ConnectionKindSchema,
  host: z.string(),
  /** The connection string without secrets. */
  uri: z.string().min(1),
  redactedUri: z.string(),
  hasCredentials: z.boolean(),
  favourite: z.boolean(),
  createdAt: z.number(),
  lastUsed: z.number().optional(),
  /** { password?, options? } sealed by the SecretStore. */
  sealedSecrets: z.string().optional(),
});
type SavedRecord = z.infer<typeof RecordSchema>;

const FileSchema = z.object({ version: z.literal(1), connections: z.array(RecordSchema) });

export class SavedConnectionsError extends CutoverError {
  override name = 'SavedConnectionsError';
}

export interface NewSavedConnection {
  uri: string;
  name?: string;
  favourite?: boolean;
  /** When it was last used elsewhere (an imported Compass connection keeps its last use). */
  lastUsed?: number;
}

export class SavedConnectionStore {
  private records?: Map<string, SavedRecord>;
  private chain: Promise<unknown> = Promise.resolve();

  /** `file` undefined: kept in memory only. */
  constructor(
    private readonly file: string | undefined,
    private readonly secrets: SecretStore,
  ) {}

  static inDataDir(dataDir: string, secrets: SecretStore): SavedConnectionStore {
    return new SavedConnectionStore(path.join(dataDir, 'connections.json'), secrets);
  }

  async list(): Promise<SavedConnection[]> {
    const records = await this.load();
    return [...records.values()]
      .sort(
        (a, b) =>
          Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name) || a.createdAt - b.createdAt,
      )
      .map(summaryOf);
  }

  async get(id: string): Promise<SavedConnection> {
    return summaryOf(await this.require(id));
  }

  /** The full connection string, secrets included: main side only, never sent to the window. */
  async uriOf(id: string): Promise<string> {
    const record = await this.require(id);
    return joinSecrets(record.uri, this.openSecrets(record));
  }

  /** Saved connections with the same kind, hosts, ports, user and database. */
  async duplicatesOf(uri: string): Promise<SavedConnection[]> {
    const identity = connectionIdentity(uri);
    return [...(await this.load()).values()].filter((r) => this.identityOf(r) === identity).map(summaryOf);
  }

  /** The first saved connection of each identity: a file's entries are looked up here, one lookup each. */
  async byIdentity(): Promise<Map<string, SavedConnection>> {
    const index = new Map<string, SavedConnection>();
    const pause = cooperative();
    for (const record of [...(await this.load()).values()]) {
      await pause();
      const identity = this.identityOf(record);
      if (!index.has(identity)) index.set(identity, summaryOf(record));
    }
    return index;
  }

  /** Identities by public connection string, worked out once (parsing a MongoDB string is slow). */
  private readonly identities = new Map<string, string>();
  private identityOf(record: SavedRecord): string {
    let identity = this.identities.get(record.uri);
    if (identity === undefined) this.identities.set(record.uri, (identity = connectionIdentity(record.uri)));
    return identity;
  }

  async add(connection: NewSavedConnection): Promise<SavedConnection> {
    const [saved] = await this.addMany([connection]);
    return saved;
  }

  /** Adds all or none: one write. */
  async addMany(connections: NewSavedConnection[], now = Date.now()): Promise<SavedConnection[]> {
    const fresh = connections.map((c) =>
      this.recordOf(randomUUID(), c.uri, c.name, c.favourite ?? false, now, c.lastUsed && Math.min(c.lastUsed, now)),
    );
    await this.mutate((records) => fresh.forEach((r) => records.set(r.id, r)));
    return fresh.map(summaryOf);
  }

  /**
   * Changes name, favourite or connection string. Secrets left as the placeholder (****) keep their
   * stored value, but a stored secret is never handed to another user or sent to another place: changing
   * the user name, a host or port, the scheme or the authentication mechanism while keeping **** is
   * refused and asks for the secrets again. A secret removed from the string is removed.
   */
  async update(id: string, change: { name?: string; favourite?: boolean; uri?: string }): Promise<SavedConnection> {
    // Read inside the change, so changes made meanwhile (a touch, another edit) are not undone.
    const next = await this.mutate((records) => {
      const record = requireIn(records, id);
      let next: SavedRecord = {
        ...record,
        name: change.name?.trim() || record.name,
        favourite: change.favourite ?? record.favourite,
      };
      if (change.uri !== undefined && change.uri.trim() !== record.redactedUri) {
        const edited = splitSecrets(change.uri);
        const [before, after] = [userOf(record.uri), userOf(edited.publicUri)];
        if (edited.secrets.password === REDACTED && before !== after) {
          throw new ConnectionStringError(
            `The user name changed from "${before}" to "${after}": type the password of "${after}" in place of ****, since the stored one belongs to "${before}".`,
          );
        }
        const keeps =
          edited.secrets.password === REDACTED || Object.values(edited.secrets.options ?? {}).includes(REDACTED);
        const moved = keeps ? credentialTargetChange(record.uri, edited.publicUri) : undefined;
        if (moved) {
          const kept = [
            edited.secrets.password === REDACTED ? 'the password' : '',
            ...Object.entries(edited.secrets.options ?? {})
              .filter(([, v]) => v === REDACTED)
              .map(([k]) => k),
          ]
            .filter(Boolean)
            .join(' and ');
          throw new ConnectionStringError(
            `${moved[0].toUpperCase()}${moved.slice(1)}: the stored secrets are not sent there. Type ${kept} again in place of ****.`,
          );
        }
        const uri = joinSecrets(edited.publicUri, keepRedactedSecrets(edited.secrets, this.openSecrets(record)));
        next = this.recordOf(id, uri, next.name, next.favourite, record.createdAt, record.lastUsed);
      }
      records.set(id, next);
      return next;
    });
    return summaryOf(next);
  }

  async duplicate(id: string): Promise<SavedConnection> {
    const copy = await this.mutate((records) => {
      const record = requireIn(records, id);
      const copy: SavedRecord = {
        ...record,
        id: randomUUID(),
        name: copyName(record.name, records),
        createdAt: Date.now(),
        lastUsed: undefined,
        favourite: false,
      };
      records.set(copy.id, copy);
      return copy;
    });
    return summaryOf(copy);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.mutate((records) => records.delete(id));
  }

  async touch(id: string, when = Date.now()): Promise<void> {
    await this.mutate((records) => {
      records.set(id, { ...requireIn(records, id), lastUsed: when });
    });
  }

  /** What an export writes: the public connection string and the secrets apart. */
  async exportEntries(ids: string[]): Promise<ExportEntry[]> {
    const records = await this.load();
    return ids.map((id) => {
      const record = records.get(id);
      if (!record) throw new NotFoundError(`No saved connection ${id}.`);
      return {
        name: record.name,
        kind: record.kind,
        publicUri: record.uri,
        secrets: this.openSecrets(record),
        favourite: record.favourite,
      };
    });
  }

  private recordOf(
    id: string,
    uri: string,
    name: string | undefined,
    favourite: boolean,
    createdAt: number,
    lastUsed?: number,
  ): SavedRecord {
    const parsed = parseConnectionString(uri);
    const { publicUri, secrets } = splitSecrets(parsed.uri);
    const hasSecrets = secrets.password !== undefined || secrets.options !== undefined;
    return {
      id,
      name: name?.trim().slice(0, 200) || parsed.host,
      kind: parsed.kind,
      host: parsed.host,
      uri: publicUri,
      redactedUri: redactUri(parsed.uri),
      hasCredentials: parsed.hasCredentials,
      favourite,
      createdAt,
      ...(lastUsed ? { lastUsed } : {}),
      ...(hasSecrets ? { sealedSecrets: this.secrets.seal(JSON.stringify(secrets)) } : {}),
    };
  }

  private openSecrets(record: SavedRecord): UriSecrets {
    if (!record.sealedSecrets) return {};
    try {
      return JSON.parse(this.secrets.open(record.sealedSecrets)) as UriSecrets;
    } catch {
      throw new SavedConnectionsError(
        `The password of "${record.name}" cannot be decrypted on this computer (the key changed). Edit the connection and enter it again.`,
      );
    }
  }

  private async require(id: string): Promise<SavedRecord> {
    return requireIn(await this.load(), id);
  }

  private async load(): Promise<Map<string, SavedRecord>> {
    if (this.records) return this.records;
    if (!this.file) return (this.records = new Map());
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.records ??= new Map());
      throw new SavedConnectionsError(`${this.file} cannot be read: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SavedConnectionsError(
        `${this.file} is corrupt (${(error as Error).message}). Cutover has not changed it: repair or move it away, then try again.`,
      );
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SavedConnectionsError(
        `${this.file} is not valid (${issue.path.join('.')}: ${issue.message}). Cutover has not changed it: repair or move it away, then try again.`,
      );
    }
    this.records ??= new Map(parsed.data.connections.map((r) => [r.id, r]));
    return this.records;
  }

  /** Applies a change to a copy, writes it, and only then makes it current. Changes run one at a time. */
  private mutate<T>(change: (records: Map<string, SavedRecord>) => T): Promise<T> {
    const run = this.chain.then(async () => {
      const next = new Map(await this.load());
      const result = change(next);
      if (this.file) {
        await mkdir(path.dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
        const body = `${JSON.stringify({ version: 1, connections: [...next.values()] }, null, 2)}\n`;
        await writeFile(tmp, body, { mode: 0o600 });
        await rename(tmp, this.file);
      }
      this.records = next;
      return result;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function requireIn(records: Map<string, SavedRecord>, id: string): SavedRecord {
  const record = records.get(id);
  if (!record) throw new NotFoundError(`No saved connection ${id}: it may have been deleted.`);
  return record;
}

function summaryOf(record: SavedRecord): SavedConnection {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    host: record.host,
    redactedUri: record.redactedUri,
    hasCredentials: record.hasCredentials,
    favourite: record.favourite,
    createdAt: record.createdAt,
    ...(record.lastUsed ? { lastUsed: record.lastUsed } : {}),
  };
}

export { ConnectionStringError };

/** "Shop (copy)", then "Shop (copy 2)"…: a name no saved connection has yet, so rows stay distinct. */
function copyName(name: string, records: Map<string, SavedRecord>): string {
  const taken = new Set([...records.values()].map((r) => r.name));
  const base = name.slice(0, 180);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${base} (copy)` : `${base} (copy ${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}
