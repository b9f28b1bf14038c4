/**
 * Test kit (never shipped): writes files in the documented MongoDB Compass export format, independently of the
 * reader. Canonical EJSON `{"type": "Compass Connections", "version": {"$numberInt": "1"}, "connections": […]}`;
 * with a passphrase, each connection's secrets are taken out of its connection string and stored in
 * `connectionSecrets`: base64(0x0001 | salt(16) | iv(16) | GCM tag(16) | AES-256-GCM ciphertext of
 * EJSON {"secrets": {…}}), key = PBKDF2-SHA512(passphrase, salt, 100,000, 32).
 */
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';

export interface CompassFixtureConnection {
  id?: string;
  connectionString: string;
  favoriteName?: string;
  /** Compass keeps a colour key (color1…color10) beside a favourite's name. */
  favoriteColor?: string;
  /** Newer Compass marks each saved connection 'favorite' or 'recent'; older exports leave it out. */
  savedConnectionType?: 'favorite' | 'recent';
  /** When the connection was last connected with; null leaves the field out. Default 2025-01-01T00:00:00Z. */
  lastUsed?: Date | null;
  /** Secrets to encrypt (with a passphrase). The password as Compass keeps it: URI-encoded. */
  secrets?: Record<string, string>;
  sshTunnel?: Record<string, unknown>;
}

export function compassEncrypt(plaintext: string, passphrase: string, version = 0x0001): string {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, 100_000, 32, 'sha512');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(version);
  return Buffer.concat([head, salt, iv, cipher.getAuthTag(), body]).toString('base64');
}

export function compassExport(
  connections: CompassFixtureConnection[],
  options: { passphrase?: string; version?: number } = {},
): string {
  const list = connections.map((c, index) => {
    const entry: Record<string, unknown> = {
      id: c.id ?? `0000000${index}-aaaa-4bbb-8ccc-dddddddddddd`,
      connectionOptions: { connectionString: c.connectionString, ...(c.sshTunnel ? { sshTunnel: c.sshTunnel } : {}) },
    };
    if (c.lastUsed !== null)
      entry.lastUsed = { $date: { $numberLong: String((c.lastUsed ?? new Date('2025-01-01T00:00:00Z')).getTime()) } };
    if (c.favoriteName) entry.favorite = { name: c.favoriteName, color: c.favoriteColor ?? 'color2' };
    if (c.savedConnectionType) entry.savedConnectionType = c.savedConnectionType;
    if (options.passphrase && c.secrets) {
      const secrets = Object.fromEntries(Object.entries(c.secrets).map(([k, v]) => [k, v]));
      entry.connectionSecrets = compassEncrypt(JSON.stringify({ secrets }), options.passphrase);
    }
    return entry;
  });
  return JSON.stringify(
    { type: 'Compass Connections', version: { $numberInt: String(options.version ?? 1) }, connections: list },
    null,
    2,
  );
}
