/**
 * A Versia v0.6 instance for tests, as a real `node:http` server on 127.0.0.1, in one of two flavours:
 *
 * - `spec` (default): what the v0.6 spec says. Discovery, unsigned instance metadata (the endpoint "is
 *   exempt from the signature requirement"), WebFinger, signed spec-valid User entities with the migration
 *   extension, followers / following collections, the shared inbox (422 out of the time window, then 401 for
 *   a bad signature, 422 for an invalid entity), the old-instance and receiver roles of the migration
 *   extension, and a small bearer-token client API (CLIENT_API, private to the test kit: no real server
 *   has it) that the test kit's adapter (./adapter.ts) drives. Versia endpoints refuse an `Accept` that asks for plain `application/json` (406).
 * - `reference`: what Versia Server 0.9.0-alpha.0 (the reference implementation) does on the wire:
 *   `{"versions":["0.6.0"]}`; unsigned metadata as `application/json`, software "Versia Server", extensions
 *   custom_emojis, instance_messaging, likes, shares, reactions (no migration); a WebFinger self link typed
 *   `application/json` whose href `/users/{id}` answers 404; Users only at
 *   `/.versia/v0.6/entities/pub.versia:users%2FUser/{id}`; collections at `…/entities/User/{id}/collections/…`
 *   (references always `host:id`); answers signed by the host without its port; 422 for an unsigned inbox
 *   POST; no client API.
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
  hostOf,
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
  /** `spec` (default) or `reference` (Versia Server 0.9.0-alpha.0 on the wire). */
  flavour?: 'spec' | 'reference';
  /** Answer 401 to unsigned reads of entities, as the spec allows a strict instance to. */
  requireSignedReads?: boolean;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Replaces the href of the WebFinger self link (hostile-server tests). */
  webfingerHref?: (user: TestUser) => string;
}

export const REFERENCE_SOFTWARE = { name: 'Versia Server', version: '0.9.0-alpha.0' };
export const REFERENCE_EXTENSIONS = [
  'pub.versia:custom_emojis',
  'pub.versia:instance_messaging',
  'pub.versia:likes',
  'pub.versia:shares',
  'pub.versia:reactions',
];

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
  const reference = options.flavour === 'reference';
  // Versia Server names itself by its base URL's hostname: no port, in the metadata and when signing.
  const publicDomain = reference ? hostOf(domain) : domain;
  const keys = generateInstanceKeys();
  const software = options.software ?? (reference ? REFERENCE_SOFTWARE : { name: TESTKIT_SOFTWARE, version: '0.1.0' });
  const extensions = options.extensions ?? (reference ? REFERENCE_EXTENSIONS : [MIGRATION_EXTENSION]);
  const pageSize = options.pageSize ?? 20;
  const users = new Map<string, TestUser>();
  const inbox: InboxRecord[] = [];
  const seenMigrations = new Set<string>();
  const client = new FederationClient({
    resolve: options.network.resolve,
    signer: { domain: publicDomain, privateKey: keys.privateKey },
    timeoutMs: 3_000,
    pageSize: 7,
  });
  const createdAt = new Date().toISOString();

  const ref = (user: TestUser) => `${domain}:${user.id}`;
  // "Usernames are case-insensitive."
  const byUsername = (name: string) => [...users.values()].find((u) => u.username.toLowerCase() === name.toLowerCase());
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
  const listenHost = options.host ?? '127.0.0.1';
  const origin = `http://${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${port}`;
  options.network.register(domain, origin);

  function listen(p: number): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, options.host ?? '127.0.0.1', () => {
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

  const jsonType = reference ? 'application/json' : VERSIA_CONTENT_TYPE;

  function sendJson(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': status < 300 ? jsonType : 'application/json', ...extraHeaders });
    res.end(text);
  }

  /** A GET answer signed by this instance over its body. */
  function sendSigned(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    const text = JSON.stringify(body);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const headers = signatureHeaders({
      method: 'GET',
      url: path,
      body: text,
      signer: publicDomain,
      privateKey: keys.privateKey,
    });
    res.writeHead(200, { 'content-type': jsonType, ...headers });
    res.end(text);
  }

  /**
   * The spec's requests: "Accept: Must be application/vnd.versia+json, unless specified otherwise. Basic
   * application/json is not allowed." A strict instance refuses such a request (406).
   */
  function checkAccept(req: http.IncomingMessage): void {
    if (reference) return;
    const accept = String(req.headers.accept ?? '')
      .split(',')
      .map((t) => t.split(';')[0].trim().toLowerCase());
    if (!accept.includes('application/vnd.versia+json') || accept.includes('application/json')) {
      throw new HttpError(406, `Accept must be application/vnd.versia+json (got "${req.headers.accept ?? ''}").`);
    }
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

  /** Checks the signature of a request signed by another instance: 422 out of the time window, else 401. */
  async function verifyRequest(req: http.IncomingMessage, body: string, url: URL): Promise<string> {
    const signer = String(req.headers['versia-signed-by'] ?? '').toLowerCase();
    // Versia Server validates the three headers as its request schema: missing ones are a 422.
    if (!signer) throw new HttpError(reference ? 422 : 401, 'Missing Versia-Signed-By: requests must be signed.');
    const signedAt = Number(headerOf(req, 'versia-signed-at'));
    if (Number.isFinite(signedAt) && Math.abs(Date.now() / 1000 - signedAt) > 300)
      throw new HttpError(
        422,
        `Signed ${Math.round(Math.abs(Date.now() / 1000 - signedAt))} s away from now: outside the 5-minute window.`,
      );
    let publicKey: string;
    try {
      publicKey = (await client.instance(signer)).public_key.key;
    } catch (error) {
      throw new HttpError(
        401,
        `Cannot check the signature: the key of ${signer} could not be fetched (${(error as Error).message})`,
      );
    }
    const check = checkSignature({
      method: req.method ?? 'GET',
      url,
      body,
      headers: (name) => headerOf(req, name),
      publicKey,
    });
    if (!check.ok) throw new HttpError(check.status, check.reason);
    return check.signer;
  }

  // ---- Routes --------------------------------------------------------------------------------------
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (method === 'GET' && path === '/.well-known/versia') {
      // The spec's example answers application/jrd+json; Versia Server answers application/json.
      res.writeHead(200, { 'content-type': reference ? 'application/json' : 'application/jrd+json' });
      res.end(JSON.stringify({ versions: options.versions ?? [VERSIA_VERSION] }));
      return;
    }
    const versions = options.versions ?? [VERSIA_VERSION];
    if (path.startsWith('/.versia/v0.6/') && !versions.some((v) => v.startsWith('0.6')))
      throw new HttpError(404, `Nothing at ${method} ${path}: this instance speaks ${versions.join(', ')}.`);
    if (method === 'GET' && path === '/.versia/v0.6/instance') {
      checkAccept(req);
      // "This endpoint is exempt from the signature requirement. No signatures are required for requests or responses to it."
      return sendJson(res, 200, metadata());
    }
    if (method === 'GET' && path === '/.well-known/webfinger') return webfinger(res, url);
    if (method === 'POST' && path === '/.versia/v0.6/inbox') return receive(req, res, url);
    if (!reference && path.startsWith(`${CLIENT_API}/`))
      return clientApi(req, res, path.slice(CLIENT_API.length), method);

    const entity = /^\/\.versia\/v0\.6\/entities\/([^/]+)\/([^/]+)(?:\/collections\/([^/]+))?$/.exec(path);
    if (method === 'GET' && entity) {
      checkAccept(req);
      const type = decodeURIComponent(entity[1]);
      // Versia Server serves Users as pub.versia:users/User, and their collections under User.
      const userType = reference && !entity[3] ? 'pub.versia:users/User' : 'User';
      if (type !== userType) throw new HttpError(404, `No ${type} entities on ${domain}.`);
      if (req.headers['versia-signature'] || req.headers['versia-signed-by']) await verifyRequest(req, '', url);
      else if (options.requireSignedReads) throw new HttpError(401, 'Reads must be signed by an instance.');
      const user = users.get(decodeURIComponent(entity[2]));
      if (!user) throw new HttpError(404, `No user ${entity[2]} on ${domain}.`);
      if (!entity[3]) return sendSigned(req, res, userEntity(user));
      if (entity[3] !== 'followers' && entity[3] !== 'following')
        throw new HttpError(404, `No collection ${entity[3]}.`);
      const all = [...(entity[3] === 'followers' ? user.followers : user.following)].sort();
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 40);
      // "Implementations MUST support a minimum of 1 and a maximum of 40 items."
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 40)
        throw new HttpError(422, 'offset must be 0 or more, limit between 1 and 40.');
      const page = all.slice(offset, offset + Math.min(limit, pageSize));
      return sendSigned(req, res, {
        author: user.id,
        total: all.length,
        items: reference
          ? page.map((r) => normaliseReference(r, publicDomain).replace(`${domain}:`, `${publicDomain}:`))
          : page.map((r) => bareIfLocal(r)),
      });
    }
    throw new HttpError(404, `Nothing at ${method} ${path}.`);
  }

  function metadata() {
    return {
      type: 'InstanceMetadata',
      name: reference ? `Versia Server at ${publicDomain}` : `Test instance ${domain}`,
      software,
      compatibility: { versions: options.versions ?? [VERSIA_VERSION], extensions },
      domain: publicDomain,
      public_key: { algorithm: 'ed25519', key: keys.publicKey },
      created_at: createdAt,
      description: reference ? null : 'A Versia instance run by the Cutover test kit.',
      ...(reference ? {} : { logo: null, banner: null }),
    };
  }

  /** References to this instance's own entities go out bare, as the spec allows. */
  function bareIfLocal(reference: string): string {
    const parsed = parseReference(reference, domain);
    return parsed.domain === domain ? parsed.id : reference;
  }

  /** A spec-valid User (checked against the provider's UserSchema in the test kit's own tests). */
  function userEntity(user: TestUser) {
    const text = (content: string) => ({ 'text/plain': { content, remote: false } });
    if (reference) {
      return {
        id: user.id,
        type: 'User',
        bio: { 'text/html': { content: '', remote: false }, 'text/plain': { content: '', remote: false } },
        created_at: user.createdAt,
        indexable: false,
        username: user.username,
        manually_approves_followers: false,
        display_name: user.username,
        fields: [],
        extensions: { 'pub.versia:custom_emojis': { emojis: [] } },
      };
    }
    const extensions: Record<string, unknown> = {};
    // `previous` is required in the extension object, `new` is set once a move completes.
    if (user.previous || user.new)
      extensions[MIGRATION_EXTENSION] = { previous: user.previous ?? null, new: user.new ?? null };
    return {
      type: 'User',
      id: user.id,
      created_at: user.createdAt,
      username: user.username,
      display_name: user.username,
      avatar: null,
      header: null,
      bio: text(`${user.username} on ${domain}`),
      fields: [{ key: text('Instance'), value: text(domain) }],
      manually_approves_followers: false,
      indexable: false,
      extensions,
    };
  }

  function webfinger(res: http.ServerResponse, url: URL): void {
    const resource = url.searchParams.get('resource') ?? '';
    const match = /^acct:([^@]+)@(.+)$/.exec(resource);
    if (!match || match[2].toLowerCase() !== domain) throw new HttpError(400, `resource must be acct:user@${domain}.`);
    const user = byUsername(match[1]) ?? users.get(match[1]);
    if (!user) throw new HttpError(404, `No user ${match[1]} on ${domain}.`);
    const self = reference
      ? {
          rel: 'self',
          type: 'application/json',
          href: options.webfingerHref?.(user) ?? `https://${domain}/users/${user.id}`,
        }
      : {
          rel: 'self',
          type: 'application/vnd.versia+json',
          href: options.webfingerHref?.(user) ?? `https://${domain}${entityPath('User', user.id)}`,
        };
    res.writeHead(200, { 'content-type': reference ? 'application/json' : 'application/jrd+json' });
    res.end(
      JSON.stringify({
        subject: `acct:${user.username}@${domain}`,
        links: [
          self,
          ...(reference
            ? [{ rel: 'avatar', type: 'image/svg+xml', href: `https://${domain}/avatars/${user.id}.svg` }]
            : []),
        ],
      }),
    );
  }

  // ---- Inbox: the receiver role --------------------------------------------------------------------
  async function receive(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const body = await readBody(req);
    const record: InboxRecord = { status: 0, message: '' };
    inbox.push(record);
    try {
      if (reference) {
        // Versia Server checks that the three signature headers are there (422 otherwise), queues the
        // entity and answers 200 at once; it implements no migration.
        for (const name of ['versia-signature', 'versia-signed-at', 'versia-signed-by'])
          if (!headerOf(req, name)) throw new HttpError(422, `Missing header ${name}.`);
        record.status = 200;
        record.message = 'queued';
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(
          'Request processing initiated.\nImplement the Instance Messaging Extension to receive any eventual feedback (errors, etc.)',
        );
        return;
      }
      record.signer = await verifyRequest(req, body, url);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new HttpError(422, 'The body is not JSON.');
      }
      const entity = InboxEntitySchema.safeParse(json);
      if (!entity.success) throw new HttpError(422, `Invalid entity: ${describeIssues(entity.error)}`);
      record.type = entity.data.type;
      if (entity.data.type !== MIGRATION_TYPE)
        throw new HttpError(422, `This instance does not accept ${entity.data.type} entities.`);
      const migration = MigrationSchema.safeParse(json);
      if (!migration.success) throw new HttpError(422, `Invalid Migration: ${describeIssues(migration.error)}`);
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
      throw new HttpError(422, `Invalid Migration: ${(error as Error).message}`);
    }
    if (parseReference(author).domain !== signer)
      throw new HttpError(401, `The Migration of ${author} is signed by ${signer}, not by the author's instance.`);
    const key = `${author}|${destination}|${migration.created_at}`;
    if (seenMigrations.has(key)) return { moved: 0, message: 'Already processed: nothing changed.' };

    // Verified = the destination's `previous` resolves to the author.
    let target;
    try {
      target = await client.user(destination);
    } catch (error) {
      if (error instanceof VersiaUnreachableError)
        throw new HttpError(502, `Cannot verify the Migration: ${error.message}`);
      throw new HttpError(
        422,
        `Cannot verify the Migration: the destination ${destination} does not resolve (${(error as Error).message}).`,
      );
    }
    const previous = target.extensions?.[MIGRATION_EXTENSION]?.previous;
    if (!sameReference(previous, author)) {
      throw new HttpError(
        422,
        `Migration not verified: the destination ${destination} ${previous ? `names ${previous}` : 'names no account'} as previous, not ${author}.`,
      );
    }

    let moved = 0;
    const destinationUser = local(destination);
    if (destinationUser) {
      // The new account's instance takes over the old account's relationships.
      const [followers, following] = await Promise.all([
        client.collection(author, 'followers'),
        client.collection(author, 'following'),
      ]);
      for (const r of followers.items) {
        if (r !== destination && !destinationUser.followers.has(r)) {
          destinationUser.followers.add(r);
          moved++;
        }
      }
      for (const r of following.items) {
        if (r !== destination && !destinationUser.following.has(r)) {
          destinationUser.following.add(r);
          moved++;
        }
      }
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
  async function requestMigration(
    user: TestUser,
    destinationInput: string,
  ): Promise<{ status: number; body: unknown }> {
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
        throw new HttpError(
          error instanceof VersiaUnreachableError ? 502 : 422,
          `The destination ${destination} could not be read: ${(error as Error).message}`,
        );
      }
      const previous = target.extensions?.[MIGRATION_EXTENSION]?.previous;
      if (!sameReference(previous, ref(user)))
        throw new HttpError(
          409,
          `The destination ${destination} does not name ${ref(user)} as its previous account${previous ? ` (it names ${previous})` : ''}.`,
        );
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
    const entity = {
      type: MIGRATION_TYPE,
      author: user.id,
      destination: migration.destination,
      created_at: migration.createdAt,
    };
    await Promise.all(
      [...migration.deliveries].map(async ([target, status]) => {
        if (status.status === 'delivered') return;
        try {
          const response = await client.deliver(target, entity);
          const text = await response.text();
          migration.deliveries.set(
            target,
            response.ok
              ? { status: 'delivered' }
              : { status: 'failed', error: `${target} answered ${response.status}: ${text.slice(0, 300)}` },
          );
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
  async function clientApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    method: string,
  ): Promise<void> {
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
      if (typeof body?.destination !== 'string')
        throw new HttpError(400, 'destination: expected a reference (domain:id).');
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
