/**
 * A spec-conformant Versia v0.6 instance for tests, as a real `node:http` server on 127.0.0.1: discovery,
 * instance metadata, WebFinger, signed User entities with the migration extension, followers / following
 * collections, the shared inbox (401 bad signature, 422 out of the time window, 400 invalid entity), the
 * old-instance and receiver roles of the migration extension, and a small bearer-token client API that
 * the provider's `cutover-versia-testkit` adapter drives.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FederationClient,
  MIGRATION_EXTENSION,
  MIGRATION_TYPE,
  MigrationSchema,
  InboxEntitySchema,
  VERSIA_CONTENT_TYPE,
  VERSIA_VERSION,
  checkSignature,
  describeIssues,
  entityPath,
  generateInstanceKeys,
  normaliseReference,
  parseReference,
  sameReference,
  signatureHeaders,
  VersiaUnreachableError,
  type InstanceKeys,
  type Migration,
} from '../../providers/versia/protocol/index';
import type { VersiaNetwork } from './network';

export const TESTKIT_SOFTWARE = 'cutover-versia-testkit';
export const CLIENT_API = '/api/cutover-testkit/v1';

export interface TestUser {
  id: string;
  username: string;
  token: string;
  createdAt: string;
  previous?: string;
  new?: string;
  disabled: boolean;
  followers: Set<string>;
  following: Set<string>;
  migration?: OutgoingMigration;
}

export type DeliveryStatus = { status: 'pending' } | { status: 'delivered' } | { status: 'failed'; error: string };

export interface OutgoingMigration {
  destination: string;
  createdAt: string;
  state: 'delivering' | 'stalled' | 'completed';
  deliveries: Map<string, DeliveryStatus>;
}

export interface InboxRecord {
  status: number;
  type?: string;
  signer?: string;
  message: string;
}

export interface VersiaInstanceOptions {
  domain: string;
  network: VersiaNetwork;
  software?: { name: string; version: string };
  /** Extensions listed in the metadata; defaults to the migration extension. */
  extensions?: string[];
  versions?: string[];
  /** Largest page a collection sends. */
  pageSize?: number;
  port?: number;
}

export interface VersiaTestInstance {
  readonly domain: string;
  readonly origin: string;
  readonly port: number;
  readonly keys: InstanceKeys;
  readonly users: ReadonlyMap<string, TestUser>;
  /** Every inbox request, in order of arrival. */
  readonly inbox: InboxRecord[];
  createUser(username: string): TestUser;
  user(username: string): TestUser;
  reference(username: string): string;
  /** `versia+http://user:TOKEN@domain` — the domain resolves through the network. */
  connectionString(username: string): string;
  /** Stops answering (connections refused) until resume(), keeping all state and the port. */
  suspend(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startVersiaInstance(options: VersiaInstanceOptions): Promise<VersiaTestInstance> {
  const domain = options.domain.toLowerCase();
  const keys = generateInstanceKeys();
  const software = options.software ?? { name: TESTKIT_SOFTWARE, version: '0.1.0' };
  const extensions = options.extensions ?? [MIGRATION_EXTENSION];
  const pageSize = options.pageSize ?? 20;
  const users = new Map<string, TestUser>();
  const inbox: InboxRecord[] = [];
  const seenMigrations = new Set<string>();
  const client = new FederationClient({ resolve: options.network.resolve, signer: { domain, privateKey: keys.privateKey }, timeoutMs: 3_000, pageSize: 7 });
  const createdAt = new Date().toISOString();

  const ref = (user: TestUser) => `${domain}:${user.id}`;
  const byUsername = (name: string) => [...users.values()].find((u) => u.username === name);
  const local = (reference: string) => {
    const parsed = parseReference(reference, domain);
    return parsed.domain === domain ? users.get(parsed.id) : undefined;
  };

  // ---- HTTP plumbing -------------------------------------------------------------------------------
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error(`[versia ${domain}]`, error);
      sendJson(res, status, { error: (error as Error).message });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  options.network.register(domain, origin);

  function listen(p: number): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async function close(): Promise<void> {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': status < 300 ? VERSIA_CONTENT_TYPE : 'application/json', ...extraHeaders });
    res.end(text);
  }

  /** A GET answer signed by this instance over its body. */
  function sendSigned(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    const text = JSON.stringify(body);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = signatureHeaders({ method: 'GET', url: path, body: text, signer: domain, privateKey: keys.privateKey });
    res.writeHead(200, { 'content-type': VERSIA_CONTENT_TYPE, ...headers });
    res.end(text);
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new HttpError(413, 'The body is larger than 1 MB.');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Checks the signature of a request signed by another instance: 401 or 422 otherwise. */
  async function verifyRequest(req: http.IncomingMessage, body: string, url: URL): Promise<string> {
    const signer = String(req.headers['versia-signed-by'] ?? '').toLowerCase();
    if (!signer) throw new HttpError(401, 'Missing Versia-Signed-By: requests must be signed.');
    let publicKey: string;
    try {
      publicKey = (await client.instance(signer)).public_key.key;
    } catch (error) {
      throw new HttpError(401, `Cannot check the signature: the key of ${signer} could not be fetched (${(error as Error).message})`);
    }
    const check = checkSignature({ method: req.method ?? 'GET', url, body, headers: (name) => headerOf(req, name), publicKey });
    if (!check.ok) throw new HttpError(check.status, check.reason);
    return check.signer;
  }

  // ---- Routes --------------------------------------------------------------------------------------
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (method === 'GET' && path === '/.well-known/versia') return sendJson(res, 200, { versions: options.versions ?? [VERSIA_VERSION] });
    if (method === 'GET' && path === '/.versia/v0.6/instance') return sendSigned(req, res, metadata());
    if (method === 'GET' && path === '/.well-known/webfinger') return webfinger(res, url);
    if (method === 'POST' && path === '/.versia/v0.6/inbox') return receive(req, res, url);
    if (path.startsWith(`${CLIENT_API}/`)) return clientApi(req, res, path.slice(CLIENT_API.length), method);

    const entity = /^\/\.versia\/v0\.6\/entities\/User\/([^/]+)(?:\/collections\/(followers|following))?$/.exec(path);
    if (method === 'GET' && entity) {
      if (req.headers['versia-signature'] || req.headers['versia-signed-by']) await verifyRequest(req, '', url);
      const user = users.get(decodeURIComponent(entity[1]));
      if (!user) throw new HttpError(404, `No user ${entity[1]} on ${domain}.`);
      if (!entity[2]) return sendSigned(req, res, userEntity(user));
      const all = [...(entity[2] === 'followers' ? user.followers : user.following)].sort();
      const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
      const limit = Math.min(pageSize, Math.max(1, Number(url.searchParams.get('limit') ?? pageSize) || pageSize));
      return sendSigned(req, res, { author: user.id, total: all.length, items: all.slice(offset, offset + limit).map((r) => bareIfLocal(r)) });
    }
    throw new HttpError(404, `Nothing at ${method} ${path}.`);
  }

  function metadata() {
    return {
      type: 'InstanceMetadata',
      name: `Test instance ${domain}`,
      software,
      compatibility: { versions: options.versions ?? [VERSIA_VERSION], extensions },
      domain,
      public_key: { algorithm: 'ed25519', key: keys.publicKey },
      created_at: createdAt,
      description: 'A Versia instance run by the Cutover test kit.',
    };
  }

  /** References to this instance's own entities go out bare, as the spec allows. */
  function bareIfLocal(reference: string): string {
    const parsed = parseReference(reference, domain);
    return parsed.domain === domain ? parsed.id : reference;
  }

  function userEntity(user: TestUser) {
    const migration: Record<string, string> = {};
    if (user.previous) migration.previous = user.previous;
    if (user.new) migration.new = user.new;
    return {
      type: 'User',
      id: user.id,
      created_at: user.createdAt,
      username: user.username,
      display_name: user.username,
      manually_approves_followers: false,
      indexable: false,
      extensions: Object.keys(migration).length ? { [MIGRATION_EXTENSION]: migration } : {},
    };
  }

  function webfinger(res: http.ServerResponse, url: URL): void {
    const resource = url.searchParams.get('resource') ?? '';
    const match = /^acct:([^@]+)@(.+)$/.exec(resource);
    if (!match || match[2].toLowerCase() !== domain) throw new HttpError(400, `resource must be acct:user@${domain}.`);
    const user = byUsername(match[1]) ?? users.get(match[1]);
    if (!user) throw new HttpError(404, `No user ${match[1]} on ${domain}.`);
    res.writeHead(200, { 'content-type': 'application/jrd+json' });
    res.end(
      JSON.stringify({
        subject: `acct:${user.username}@${domain}`,
        links: [{ rel: 'self', type: 'application/vnd.versia+json', href: `https://${domain}${entityPath('User', user.id)}` }],
      }),
    );
  }

  // ---- Inbox: the receiver role --------------------------------------------------------------------
  async function receive(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const body = await readBody(req);
    const record: InboxRecord = { status: 0, message: '' };
    inbox.push(record);
    try {
      record.signer = await verifyRequest(req, body, url);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new HttpError(400, 'The body is not JSON.');
      }
      const entity = InboxEntitySchema.safeParse(json);
      if (!entity.success) throw new HttpError(400, `Invalid entity: ${describeIssues(entity.error)}`);
      record.type = entity.data.type;
      if (entity.data.type !== MIGRATION_TYPE) throw new HttpError(400, `This instance does not accept ${entity.data.type} entities.`);
      const migration = MigrationSchema.safeParse(json);
      if (!migration.success) throw new HttpError(400, `Invalid Migration: ${describeIssues(migration.error)}`);
      const result = await receiveMigration(migration.data, record.signer);
      record.status = 200;
      record.message = result.message;
      sendJson(res, 200, result);
    } catch (error) {
      record.status = error instanceof HttpError ? error.status : 500;
      record.message = (error as Error).message;
      throw error;
    }
  }

  async function receiveMigration(migration: Migration, signer: string): Promise<{ moved: number; message: string }> {
    let author: string;
    let destination: string;
    try {
      author = normaliseReference(migration.author, signer);
      destination = normaliseReference(migration.destination, signer);
    } catch (error) {
      throw new HttpError(400, `Invalid Migration: ${(error as Error).message}`);
    }
    if (parseReference(author).domain !== signer) throw new HttpError(401, `The Migration of ${author} is signed by ${signer}, not by the author's instance.`);
    const key = `${author}|${destination}|${migration.created_at}`;
    if (seenMigrations.has(key)) return { moved: 0, message: 'Already processed: nothing changed.' };

    // Verified = the destination's `previous` resolves to the author.
    let target;
    try {
      target = await client.user(destination);
    } catch (error) {
      if (error instanceof VersiaUnreachableError) throw new HttpError(502, `Cannot verify the Migration: ${error.message}`);
      throw new HttpError(400, `Cannot verify the Migration: the destination ${destination} does not resolve (${(error as Error).message}).`);
    }
    const previous = target.extensions?.[MIGRATION_EXTENSION]?.previous;
    if (!sameReference(previous, author)) {
      throw new HttpError(400, `Migration not verified: the destination ${destination} ${previous ? `names ${previous}` : 'names no account'} as previous, not ${author}.`);
    }

    let moved = 0;
    const destinationUser = local(destination);
    if (destinationUser) {
      // The new account's instance takes over the old account's relationships.
      const [followers, following] = await Promise.all([client.collection(author, 'followers'), client.collection(author, 'following')]);
      for (const r of followers.items) if (r !== destination && !destinationUser.followers.has(r)) (destinationUser.followers.add(r), moved++);
      for (const r of following.items) if (r !== destination && !destinationUser.following.has(r)) (destinationUser.following.add(r), moved++);
    }
    moved += repoint(author, destination);
    seenMigrations.add(key);
    return { moved, message: `Moved ${moved} relationships from ${author} to ${destination}.` };
  }

  /** Local users' relationships with `from` now point at `to`. */
  function repoint(from: string, to: string): number {
    let moved = 0;
    for (const user of users.values()) {
      if (ref(user) === from) continue;
      for (const set of [user.followers, user.following]) {
        if (set.delete(from)) {
          if (ref(user) !== to) set.add(to);
          moved++;
        }
      }
    }
    return moved;
  }

  // ---- The old-instance role -----------------------------------------------------------------------
  async function requestMigration(user: TestUser, destinationInput: string): Promise<{ status: number; body: unknown }> {
    let destination: string;
    try {
      destination = normaliseReference(destinationInput);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    if (user.migration && !sameReference(user.migration.destination, destination)) {
      throw new HttpError(409, `This account is already migrating to ${user.migration.destination}.`);
    }
    if (user.migration?.state === 'completed') return { status: 200, body: migrationStatus(user) };
    if (user.migration?.state === 'delivering') return { status: 202, body: migrationStatus(user) };
    if (!user.migration) {
      // Check that the destination's `previous` really points here before anything happens.
      let target;
      try {
        target = await client.user(destination);
      } catch (error) {
        throw new HttpError(error instanceof VersiaUnreachableError ? 502 : 422, `The destination ${destination} could not be read: ${(error as Error).message}`);
      }
      const previous = target.extensions?.[MIGRATION_EXTENSION]?.previous;
      if (!sameReference(previous, ref(user))) throw new HttpError(409, `The destination ${destination} does not name ${ref(user)} as its previous account${previous ? ` (it names ${previous})` : ''}.`);
      const domains = new Set([parseReference(destination).domain]);
      for (const r of [...user.followers, ...user.following]) domains.add(parseReference(r, domain).domain);
      domains.delete(domain);
      user.migration = {
        destination,
        createdAt: new Date().toISOString(),
        state: 'delivering',
        deliveries: new Map([...domains].map((d) => [d, { status: 'pending' } as DeliveryStatus])),
      };
    }
    user.migration.state = 'delivering';
    void deliverMigration(user);
    return { status: 202, body: migrationStatus(user) };
  }

  async function deliverMigration(user: TestUser): Promise<void> {
    const migration = user.migration!;
    const entity = { type: MIGRATION_TYPE, author: user.id, destination: migration.destination, created_at: migration.createdAt };
    await Promise.all(
      [...migration.deliveries].map(async ([target, status]) => {
        if (status.status === 'delivered') return;
        try {
          const response = await client.deliver(target, entity);
          const text = await response.text();
          migration.deliveries.set(target, response.ok ? { status: 'delivered' } : { status: 'failed', error: `${target} answered ${response.status}: ${text.slice(0, 300)}` });
        } catch (error) {
          migration.deliveries.set(target, { status: 'failed', error: (error as Error).message });
        }
      }),
    );
    if ([...migration.deliveries.values()].some((d) => d.status !== 'delivered')) {
      migration.state = 'stalled';
      return;
    }
    // Complete: local relationships move too, then `new` is set and the account disabled.
    repoint(ref(user), migration.destination);
    user.followers.clear();
    user.following.clear();
    user.new = migration.destination;
    user.disabled = true;
    migration.state = 'completed';
  }

  function migrationStatus(user: TestUser) {
    const m = user.migration;
    if (!m) return { state: 'none' };
    return {
      state: m.state,
      destination: m.destination,
      created_at: m.createdAt,
      deliveries: [...m.deliveries].map(([d, s]) => ({ domain: d, ...s })),
    };
  }

  // ---- Client API (bearer token) -------------------------------------------------------------------
  async function clientApi(req: http.IncomingMessage, res: http.ServerResponse, path: string, method: string): Promise<void> {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const user = token ? [...users.values()].find((u) => u.token === token) : undefined;
    if (!user) throw new HttpError(401, 'Missing or unknown access token.');
    if (method === 'GET' && path === '/account') {
      return sendJson(res, 200, {
        id: user.id,
        username: user.username,
        reference: ref(user),
        previous: user.previous ?? null,
        new: user.new ?? null,
        disabled: user.disabled,
        followers: user.followers.size,
        following: user.following.size,
      });
    }
    if (method === 'GET' && path === '/account/migration') return sendJson(res, 200, migrationStatus(user));
    const body = method === 'POST' ? parseJsonBody(await readBody(req)) : undefined;
    if (method === 'POST' && path === '/account/previous') {
      if (user.disabled) throw new HttpError(403, 'This account is disabled.');
      const previous = body?.previous;
      if (typeof previous !== 'string') throw new HttpError(400, 'previous: expected a reference (domain:id).');
      try {
        user.previous = normaliseReference(previous);
      } catch (error) {
        throw new HttpError(400, `previous: ${(error as Error).message}`);
      }
      return sendJson(res, 200, { previous: user.previous });
    }
    if (method === 'POST' && path === '/account/migration') {
      if (typeof body?.destination !== 'string') throw new HttpError(400, 'destination: expected a reference (domain:id).');
      const result = await requestMigration(user, body.destination);
      return sendJson(res, result.status, result.body);
    }
    throw new HttpError(404, `Nothing at ${method} ${CLIENT_API}${path}.`);
  }

  function parseJsonBody(text: string): Record<string, unknown> {
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new HttpError(400, 'The body must be a JSON object.');
  }

  function requireUser(username: string): TestUser {
    const user = byUsername(username);
    if (!user) throw new Error(`No user ${username} on ${domain}.`);
    return user;
  }

  // ---- The handle ----------------------------------------------------------------------------------
  return {
    domain,
    origin,
    port,
    keys,
    users,
    inbox,
    createUser(username) {
      if (byUsername(username)) throw new Error(`${username} already exists on ${domain}.`);
      const user: TestUser = {
        id: randomUUID(),
        username,
        token: randomBytes(18).toString('base64url'),
        createdAt: new Date().toISOString(),
        disabled: false,
        followers: new Set(),
        following: new Set(),
      };
      users.set(user.id, user);
      return user;
    },
    user: requireUser,
    reference(username) {
      return ref(requireUser(username));
    },
    connectionString(username) {
      const user = requireUser(username);
      return `versia://${user.username}:${user.token}@${domain}`;
    },
    suspend: close,
    async resume() {
      if (!server.listening) await listen(port);
    },
    async stop() {
      options.network.unregister(domain);
      await close();
    },
  };
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
