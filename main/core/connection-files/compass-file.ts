/**
 * MongoDB Compass connection exports: `{"type": "Compass Connections", "version": 1, "connections": […]}`
 * in canonical Extended JSON. Each connection has `connectionOptions.connectionString`; a favourite has
 * `favorite: {name, color}` (newer Compass also says `savedConnectionType: "favorite" | "recent"`), and
 * `lastUsed` is the date it was last connected with. The name, the favourite mark and the last use are
 * kept (Cutover has no colours). Passphrase-protected exports move the secrets out of the connection string
 * into `connectionSecrets` (see passphrase-crypto), whose plaintext is the EJSON `{"secrets": {…}}`.
 */
// The driver's own copy of bson: importing 'bson' directly would load a second copy (its ESM build).
import { BSON } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { z } from 'zod';
import { describeConnection } from '../saved-connections/uri-secrets';
import { cooperative } from './cooperative';
import { describeJsonError } from './json-errors';
import { openCompassSecrets, WrongPassphraseError } from './passphrase-crypto';
import { ConnectionFileError, MAX_CONNECTION_ENTRIES, tooManyEntries, type ParsedConnectionFile } from './types';

export const COMPASS_FILE_TYPE = 'Compass Connections';

const EntrySchema = z.object({
  id: z.string().optional(),
  connectionOptions: z.looseObject({
    connectionString: z.string().min(1).max(65_536),
    sshTunnel: z.unknown().optional(),
  }),
  favorite: z.looseObject({ name: z.string().optional() }).optional(),
  savedConnectionType: z.string().optional(),
  lastUsed: z.unknown().optional(),
  connectionSecrets: z.string().optional(),
});

const SecretsSchema = z.looseObject({
  secrets: z.looseObject({
    password: z.string().optional(),
    awsSessionToken: z.string().optional(),
    tlsCertificateKeyFilePassword: z.string().optional(),
    proxyPassword: z.string().optional(),
  }),
});
type CompassSecrets = z.infer<typeof SecretsSchema>['secrets'];

export async function readCompassFile(text: string, passphrase?: string): Promise<ParsedConnectionFile> {
  let json: unknown;
  try {
    json = BSON.EJSON.parse(text.replace(/^\uFEFF/, ''), { relaxed: true });
  } catch (error) {
    throw new ConnectionFileError(
      (error as Error).name === 'SyntaxError'
        ? describeJsonError(text, error)
        : `invalid Extended JSON (${(error as Error).message})`,
    );
  }
  const head = json as { type?: unknown; version?: unknown; connections?: unknown };
  if (!head || typeof head !== 'object' || head.type !== COMPASS_FILE_TYPE)
    throw new ConnectionFileError('not a Compass connections export');
  if (head.version !== 1)
    throw new ConnectionFileError(
      `unsupported Compass export version ${JSON.stringify(head.version)} (Cutover reads version 1)`,
    );
  if (!Array.isArray(head.connections))
    throw new ConnectionFileError('invalid Compass export: "connections" is not a list');

  const result: ParsedConnectionFile = { format: 'compass', entries: [], errors: [] };
  const keyCache = new Map<string, Buffer>();
  let wrongPassphrase = false;
  const pause = cooperative();
  if (head.connections.length > MAX_CONNECTION_ENTRIES) result.errors.push(tooManyEntries(MAX_CONNECTION_ENTRIES));
  for (const [index, raw] of (head.connections as unknown[]).slice(0, MAX_CONNECTION_ENTRIES).entries()) {
    await pause();
    const where = `entry ${index + 1}`;
    const parsed = EntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      result.entries.push({ where, error: `${issue.path.join('.') || 'entry'}: ${issue.message}` });
      continue;
    }
    const entry = parsed.data;
    const name = entry.favorite?.name?.trim() || undefined;
    // Older exports hold favourites only (with `favorite`); newer ones say which kind each one is.
    const favourite = entry.savedConnectionType ? entry.savedConnectionType === 'favorite' : !!entry.favorite;
    const lastUsed = timeOf(entry.lastUsed);
    try {
      if (entry.connectionOptions.sshTunnel)
        throw new Error('it connects through an SSH tunnel, which Cutover cannot use yet');
      let uri = entry.connectionOptions.connectionString;
      if (entry.connectionSecrets) {
        if (!passphrase || wrongPassphrase) {
          result.needsPassphrase = true;
        } else {
          try {
            const plain = await openCompassSecrets(entry.connectionSecrets, passphrase, keyCache);
            const secrets = SecretsSchema.safeParse(safeEjson(plain));
            if (!secrets.success) throw new Error('its encrypted secrets are not valid');
            uri = mergeCompassSecrets(uri, secrets.data.secrets);
          } catch (error) {
            if (!(error instanceof WrongPassphraseError)) throw error;
            wrongPassphrase = true;
            result.needsPassphrase = true;
          }
        }
      }
      const connection = describeConnection(uri);
      result.entries.push({
        where,
        name,
        uri: connection.uri,
        kind: connection.kind,
        host: connection.host,
        redactedUri: connection.redactedUri,
        identity: connection.identity,
        ...(favourite ? { favourite } : {}),
        ...(lastUsed ? { lastUsed } : {}),
      });
    } catch (error) {
      result.entries.push({ where, name, error: (error as Error).message });
    }
  }
  if (wrongPassphrase) result.errors.push('wrong passphrase: the encrypted secrets could not be opened with it');
  return result;
}

/** Puts decrypted Compass secrets back into the connection string (the password is kept URI-encoded, as Compass stores it). */
function mergeCompassSecrets(uri: string, secrets: CompassSecrets): string {
  const cs = new ConnectionString(uri);
  if (secrets.password) cs.password = secrets.password;
  if (secrets.tlsCertificateKeyFilePassword)
    cs.searchParams.set('tlsCertificateKeyFilePassword', secrets.tlsCertificateKeyFilePassword);
  if (secrets.proxyPassword) cs.searchParams.set('proxyPassword', secrets.proxyPassword);
  if (secrets.awsSessionToken) {
    const props = (cs.searchParams.get('authMechanismProperties') ?? '')
      .split(',')
      .filter((p) => p && !p.startsWith('AWS_SESSION_TOKEN:'));
    props.push(`AWS_SESSION_TOKEN:${secrets.awsSessionToken}`);
    cs.searchParams.set('authMechanismProperties', props.join(','));
  }
  return cs.href;
}

/** `lastUsed` as milliseconds since 1970 (EJSON gives a Date); anything else is left out, as Compass would show no last use. */
function timeOf(value: unknown): number | undefined {
  const time =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string'
        ? Date.parse(value)
        : typeof value === 'number'
          ? value
          : NaN;
  return Number.isFinite(time) && time > 0 ? time : undefined;
}

function safeEjson(text: string): unknown {
  try {
    return BSON.EJSON.parse(text, { relaxed: true });
  } catch {
    return undefined;
  }
}
