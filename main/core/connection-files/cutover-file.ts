/**
 * Cutover's own connection file (`.cutover`): versioned JSON holding one or many connections. Exported
 * files never hold plain secrets: they are removed, or sealed with a passphrase (see passphrase-crypto).
 *
 *   { "type": "Cutover Connections", "version": 1, "exportedAt": "…", "secrets": "removed" | "encrypted",
 *     "encryption"?: { cipher, kdf, N, r, p, salt, iv, tag, data },
 *     "connections": [ { "name": "…", "kind": "mongodb", "uri": "mongodb://user@host/db", "favourite": true } ] }
 *
 * The encrypted data is a JSON array, one { password?, options? } per connection, in order.
 */
import { z } from 'zod';
import { ConnectionKindSchema } from '../../../preload/contract';
import { describeConnection, joinSecrets, type UriSecrets } from '../saved-connections/uri-secrets';
import { cooperative } from './cooperative';
import { describeJsonError } from './json-errors';
import { openWithPassphrase, PassphraseBoxSchema, sealWithPassphrase, WrongPassphraseError } from './passphrase-crypto';
import {
  ConnectionFileError,
  MAX_CONNECTION_ENTRIES,
  tooManyEntries,
  type FileEntry,
  type ParsedConnectionFile,
} from './types';

export const CUTOVER_FILE_TYPE = 'Cutover Connections';
export const CUTOVER_FILE_VERSION = 1;

const EntrySchema = z.object({
  name: z.string().max(200).optional(),
  kind: ConnectionKindSchema.optional(),
  uri: z.string().min(1).max(65_536),
  favourite: z.boolean().optional(),
});

const FileSchema = z.object({
  type: z.literal(CUTOVER_FILE_TYPE),
  version: z.literal(CUTOVER_FILE_VERSION),
  exportedAt: z.string().optional(),
  secrets: z.enum(['removed', 'encrypted', 'included']).optional(),
  encryption: PassphraseBoxSchema.optional(),
  connections: z.array(z.unknown()),
});

const SecretsSchema = z.array(
  z.object({ password: z.string().optional(), options: z.record(z.string(), z.string()).optional() }).strict(),
);

/** The additional authenticated data: the public part of every entry, so secrets cannot be moved between entries. */
const aadOf = (uris: string[]) => JSON.stringify(uris);

export async function readCutoverFile(text: string, passphrase?: string): Promise<ParsedConnectionFile> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConnectionFileError(describeJsonError(text, error));
  }
  const head = json as { type?: unknown; version?: unknown };
  if (!head || typeof head !== 'object' || Array.isArray(head) || head.type !== CUTOVER_FILE_TYPE) {
    throw new ConnectionFileError(
      `not a Cutover connection file (it should start with {"type": "${CUTOVER_FILE_TYPE}", "version": 1, …})`,
    );
  }
  if (head.version !== CUTOVER_FILE_VERSION) {
    throw new ConnectionFileError(
      typeof head.version === 'number' && head.version > CUTOVER_FILE_VERSION
        ? `unsupported version ${head.version}: it was written by a newer Cutover (this one reads version ${CUTOVER_FILE_VERSION})`
        : `unsupported version ${JSON.stringify(head.version)} (this Cutover reads version ${CUTOVER_FILE_VERSION})`,
    );
  }
  const file = FileSchema.safeParse(json);
  if (!file.success) {
    const issue = file.error.issues[0];
    throw new ConnectionFileError(
      `invalid Cutover connection file: ${issue.path.join('.') || 'file'}: ${issue.message}`,
    );
  }
  const result: ParsedConnectionFile = { format: 'cutover', entries: [], errors: [] };
  const valid: Array<{ index: number; entry: z.infer<typeof EntrySchema> }> = [];
  const pause = cooperative();
  if (file.data.connections.length > MAX_CONNECTION_ENTRIES) result.errors.push(tooManyEntries(MAX_CONNECTION_ENTRIES));
  for (const [index, raw] of file.data.connections.slice(0, MAX_CONNECTION_ENTRIES).entries()) {
    await pause();
    const where = `entry ${index + 1}`;
    const entry = EntrySchema.safeParse(raw);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      const name = (raw as { name?: unknown } | null)?.name;
      result.entries.push({
        where,
        name: typeof name === 'string' ? name : undefined,
        error: `${issue.path.join('.') || 'entry'}: ${issue.message}`,
      });
      continue;
    }
    valid.push({ index, entry: entry.data });
  }

  let secrets: UriSecrets[] | undefined;
  const box = file.data.encryption;
  if (box) {
    const uris = file.data.connections.map((c) => String((c as { uri?: unknown } | null)?.uri ?? ''));
    if (!passphrase) result.needsPassphrase = true;
    else {
      let plain: string;
      try {
        plain = await openWithPassphrase(box, passphrase, aadOf(uris));
      } catch (error) {
        if (error instanceof WrongPassphraseError) {
          result.needsPassphrase = true;
          result.errors.push(`wrong passphrase: the encrypted secrets could not be opened with it`);
          plain = '';
        } else throw new ConnectionFileError((error as Error).message);
      }
      if (plain) {
        const parsed = SecretsSchema.safeParse(safeJson(plain));
        if (!parsed.success || parsed.data.length !== uris.length)
          throw new ConnectionFileError('the encrypted secrets do not match the connections in the file');
        secrets = parsed.data;
      }
    }
  }

  for (const { index, entry } of valid) {
    await pause();
    const where = `entry ${index + 1}`;
    try {
      const uri = secrets ? joinSecrets(entry.uri, stripEmpty(secrets[index])) : entry.uri;
      const { uri: parsedUri, kind, host, redactedUri, identity } = describeConnection(uri);
      if (entry.kind && entry.kind !== kind)
        throw new Error(`its kind "${entry.kind}" does not match its connection string (${kind})`);
      result.entries.push({
        where,
        name: entry.name,
        uri: parsedUri,
        kind,
        favourite: entry.favourite,
        host,
        redactedUri,
        identity,
      });
    } catch (error) {
      result.entries.push({ where, name: entry.name, error: (error as Error).message });
    }
  }
  result.entries.sort((a, b) => Number(a.where.slice(6)) - Number(b.where.slice(6)));
  return result;
}

export interface ExportEntry {
  name: string;
  kind: string;
  /** Without secrets. */
  publicUri: string;
  secrets: UriSecrets;
  favourite?: boolean;
}

/** The text of a .cutover file: secrets removed, or sealed with the passphrase. */
export async function writeCutoverFile(
  entries: ExportEntry[],
  options: { passphrase?: string; now?: Date } = {},
): Promise<string> {
  const connections = entries.map((e) => ({
    name: e.name,
    kind: e.kind,
    uri: e.publicUri,
    ...(e.favourite ? { favourite: true } : {}),
  }));
  const hasSecrets = entries.some((e) => e.secrets.password || e.secrets.options);
  const file: Record<string, unknown> = {
    type: CUTOVER_FILE_TYPE,
    version: CUTOVER_FILE_VERSION,
    exportedAt: (options.now ?? new Date()).toISOString(),
    secrets: options.passphrase && hasSecrets ? 'encrypted' : 'removed',
  };
  if (options.passphrase && hasSecrets) {
    file.encryption = await sealWithPassphrase(
      JSON.stringify(entries.map((e) => e.secrets)),
      options.passphrase,
      aadOf(connections.map((c) => c.uri)),
    );
  }
  file.connections = connections;
  return `${JSON.stringify(file, null, 2)}\n`;
}

function stripEmpty(secrets: UriSecrets | undefined): UriSecrets {
  return {
    ...(secrets?.password ? { password: secrets.password } : {}),
    ...(secrets?.options ? { options: secrets.options } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type { FileEntry };
