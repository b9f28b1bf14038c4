/**
 * Server side of SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802 / 7677) as mongod implements them.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-256';

export interface UserConfig {
  user: string;
  password: string;
  db?: string;
  mechanisms?: ScramMechanism[];
}

interface Credentials {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export interface StoredUser {
  user: string;
  db: string;
  mechanisms: ScramMechanism[];
  creds: Partial<Record<ScramMechanism, Credentials>>;
}

const ALGO: Record<ScramMechanism, { hash: 'sha1' | 'sha256'; iterations: number; keyLen: number; saltLen: number }> = {
  'SCRAM-SHA-1': { hash: 'sha1', iterations: 10000, keyLen: 20, saltLen: 16 },
  'SCRAM-SHA-256': { hash: 'sha256', iterations: 15000, keyLen: 32, saltLen: 28 },
};

const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
// eslint-disable-next-line no-misleading-character-class -- joiners and variation selectors, one code unit each on purpose
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;

/** RFC 4013 SASLprep, approximated by NFKC plus mapping of non-ASCII spaces (enough for tests). */
export function saslprep(s: string): string {
  return s.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
}

function hmac(hash: string, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(hash, key).update(data).digest();
}

function deriveCredentials(mech: ScramMechanism, user: string, password: string): Credentials {
  const a = ALGO[mech];
  const salt = randomBytes(a.saltLen);
  const secret =
    mech === 'SCRAM-SHA-1'
      ? createHash('md5').update(`${user}:mongo:${password}`, 'utf8').digest('hex')
      : saslprep(password);
  const salted = pbkdf2Sync(secret, salt, a.iterations, a.keyLen, a.hash);
  const clientKey = hmac(a.hash, salted, 'Client Key');
  return {
    salt,
    iterations: a.iterations,
    storedKey: createHash(a.hash).update(clientKey).digest(),
    serverKey: hmac(a.hash, salted, 'Server Key'),
  };
}

/** Users are keyed by `${db}.${user}`; credentials are derived lazily and cached. */
export class UserStore {
  private readonly users = new Map<string, { config: UserConfig; stored?: StoredUser }>();

  /** Access control is on when the server starts with users (as mongod's --auth): restored users do not turn it on. */
  private readonly authEnabled: boolean;

  constructor(users: UserConfig[]) {
    for (const u of users) this.users.set(`${u.db ?? 'admin'}.${u.user}`, { config: u });
    this.authEnabled = users.length > 0;
  }

  get enabled(): boolean {
    return this.authEnabled;
  }

  /** Whether any user exists (authentication works without access control too, as on mongod). */
  get hasUsers(): boolean {
    return this.users.size > 0;
  }

  list(): Array<{ user: string; db: string; mechanisms: ScramMechanism[] }> {
    return [...this.users.values()].map(({ config }) => ({
      user: config.user,
      db: config.db ?? 'admin',
      mechanisms: config.mechanisms ?? ['SCRAM-SHA-1', 'SCRAM-SHA-256'],
    }));
  }

  mechanismsFor(dbDotUser: string): ScramMechanism[] | undefined {
    const e = this.users.get(dbDotUser);
    if (!e) return undefined;
    return e.config.mechanisms ?? ['SCRAM-SHA-1', 'SCRAM-SHA-256'];
  }

  /**
   * Adds (or replaces) a user from stored SCRAM credentials, as `admin.system.users` holds them
   * (base64 salt / storedKey / serverKey and iterationCount per mechanism): what a restore brings.
   */
  restore(
    db: string,
    user: string,
    credentials: Partial<
      Record<ScramMechanism, { salt: string; storedKey: string; serverKey: string; iterationCount: number }>
    >,
  ): void {
    const creds: StoredUser['creds'] = {};
    for (const [mech, c] of Object.entries(credentials) as Array<
      [ScramMechanism, { salt: string; storedKey: string; serverKey: string; iterationCount: number }]
    >) {
      if (!(mech in ALGO)) continue;
      creds[mech] = {
        salt: Buffer.from(c.salt, 'base64'),
        iterations: c.iterationCount,
        storedKey: Buffer.from(c.storedKey, 'base64'),
        serverKey: Buffer.from(c.serverKey, 'base64'),
      };
    }
    const mechanisms = Object.keys(creds) as ScramMechanism[];
    this.users.set(`${db}.${user}`, {
      config: { user, db, password: '', mechanisms },
      stored: { user, db, mechanisms, creds },
    });
  }

  /** Removes the users of `db` (every user when db is undefined). */
  removeUsers(db?: string): void {
    for (const [key, e] of this.users) if (db === undefined || (e.config.db ?? 'admin') === db) this.users.delete(key);
  }

  lookup(db: string, user: string, mech: ScramMechanism): { user: StoredUser; creds: Credentials } | undefined {
    const e = this.users.get(`${db}.${user}`);
    if (!e) return undefined;
    const mechanisms = e.config.mechanisms ?? ['SCRAM-SHA-1', 'SCRAM-SHA-256'];
    if (!mechanisms.includes(mech)) return undefined;
    if (!e.stored) e.stored = { user, db, mechanisms, creds: {} };
    let creds = e.stored.creds[mech];
    if (!creds) {
      creds = deriveCredentials(mech, user, e.config.password);
      e.stored.creds[mech] = creds;
    }
    return { user: e.stored, creds };
  }
}

function parseAttributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

function unescapeUsername(s: string): string {
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export class ScramError extends Error {}

/** One SCRAM conversation (saslStart -> saslContinue [-> empty saslContinue]). */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private stage: 'start' | 'final' | 'done' = 'start';
  private target?: { user: StoredUser; creds: Credentials };
  user = '';
  skipEmptyExchange = false;

  constructor(
    readonly mechanism: ScramMechanism,
    readonly db: string,
    private readonly store: UserStore,
  ) {}

  /** Handles the client-first message; returns the server-first message. */
  start(payload: Buffer): string {
    const msg = payload.toString('utf8');
    // gs2 header: "n,," (no channel binding, no authzid)
    const m = /^([nyp][^,]*),([^,]*),(.*)$/.exec(msg);
    if (!m) throw new ScramError('Invalid SCRAM client first message');
    this.clientFirstBare = m[3];
    const attrs = parseAttributes(this.clientFirstBare);
    const user = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (user === undefined || !clientNonce) throw new ScramError('Invalid SCRAM client first message');
    this.user = unescapeUsername(user);
    this.target = this.store.lookup(this.db, this.user, this.mechanism);
    if (!this.target) throw new ScramError('user not found');
    this.nonce = clientNonce + randomBytes(24).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.target.creds.salt.toString('base64')},i=${this.target.creds.iterations}`;
    this.stage = 'final';
    return this.serverFirst;
  }

  /** Verifies the client-final message; returns the server-final message (v=...). */
  finish(payload: Buffer): string {
    if (this.stage !== 'final' || !this.target) throw new ScramError('unexpected SCRAM message');
    const msg = payload.toString('utf8');
    const attrs = parseAttributes(msg);
    const proofB64 = attrs.get('p');
    if (attrs.get('r') !== this.nonce || !proofB64) throw new ScramError('nonce mismatch');
    const withoutProof = msg.slice(0, msg.lastIndexOf(',p='));
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const { hash } = ALGO[this.mechanism];
    const { storedKey, serverKey } = this.target.creds;
    const clientSignature = hmac(hash, storedKey, authMessage);
    const proof = Buffer.from(proofB64, 'base64');
    if (proof.length !== clientSignature.length) throw new ScramError('bad proof');
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ clientSignature[i];
    const computedStored = createHash(hash).update(clientKey).digest();
    if (!timingSafeEqual(computedStored, storedKey)) throw new ScramError('bad proof');
    this.stage = 'done';
    return `v=${hmac(hash, serverKey, authMessage).toString('base64')}`;
  }

  get isDone(): boolean {
    return this.stage === 'done';
  }
}
