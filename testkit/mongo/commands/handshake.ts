/**
 * hello / isMaster handshake, ping, buildInfo and other server-identity commands.
 */
import { Binary } from 'bson';
import type { CommandContext, CommandTable } from '../context.js';
import { CommandError } from '../errors.js';
import { MAX_MESSAGE_SIZE } from '../wire.js';
import { Double, Int32, isNumber, isPlainObject, Long, type Doc } from '../values.js';
import type { ReplyDoc } from '../rawbson.js';
import { saslStartReply } from './auth.js';
import { AUTH_SCHEMA_VERSION, FEATURE_COMPATIBILITY_VERSION, mergeAuthzCollections } from '../system-collections.js';

export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;

function hello(ctx: CommandContext, legacy: boolean): ReplyDoc {
  const { body, server, conn } = ctx;
  const reply: ReplyDoc = {};
  if (body.helloOk === true) reply.helloOk = true;
  if (legacy) reply.ismaster = true;
  else reply.isWritablePrimary = true;
  Object.assign(reply, {
    maxBsonObjectSize: new Int32(server.maxDocumentBytes),
    maxMessageSizeBytes: new Int32(MAX_MESSAGE_SIZE),
    maxWriteBatchSize: new Int32(100000),
    localTime: new Date(),
    logicalSessionTimeoutMinutes: new Int32(30),
    connectionId: new Int32(conn.id),
    minWireVersion: new Int32(0),
    maxWireVersion: new Int32(MAX_WIRE_VERSION),
    readOnly: false,
  });
  if (server.users.hasUsers && typeof body.saslSupportedMechs === 'string') {
    const mechs = server.users.mechanismsFor(body.saslSupportedMechs);
    if (mechs) reply.saslSupportedMechs = mechs;
  }
  if (server.users.hasUsers && isPlainObject(body.speculativeAuthenticate)) {
    const spec = body.speculativeAuthenticate;
    try {
      const authDb = typeof spec.db === 'string' ? spec.db : ctx.db;
      if (spec.saslStart !== undefined) reply.speculativeAuthenticate = saslStartReply(ctx, spec, authDb);
    } catch {
      // mongod simply omits speculativeAuthenticate; the driver then runs a normal saslStart
    }
  }
  reply.ok = new Double(1);
  return reply;
}

function buildInfo({ server }: CommandContext): ReplyDoc {
  return {
    version: SERVER_VERSION,
    gitVersion: '0000000000000000000000000000000000000000',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    versionArray: [new Int32(7), new Int32(0), new Int32(0), new Int32(0)],
    openssl: { running: 'node', compiled: 'node' },
    buildEnvironment: { distmod: 'cutover-testkit', distarch: process.arch, target_os: process.platform },
    bits: new Int32(64),
    debug: false,
    maxBsonObjectSize: new Int32(server.maxDocumentBytes),
    storageEngines: ['wiredTiger'],
    ok: new Double(1),
  };
}

function lsidKeys(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const s of list) {
    if (isPlainObject(s) && s.id instanceof Binary)
      out.push(Buffer.from(s.id.buffer.subarray(0, s.id.position)).toString('hex'));
  }
  return out;
}

export const handshakeCommands: CommandTable = {
  hello: (ctx) => hello(ctx, false),
  isMaster: (ctx) => hello(ctx, true),
  ismaster: (ctx) => hello(ctx, true),
  ping: () => ({ ok: new Double(1) }),
  buildInfo,
  buildinfo: buildInfo,
  endSessions: (ctx) => {
    for (const id of lsidKeys(ctx.body.endSessions)) ctx.server.cursors.killSession(id);
    return { ok: new Double(1) };
  },
  killSessions: (ctx) => {
    for (const id of lsidKeys(ctx.body.killSessions)) ctx.server.cursors.killSession(id);
    return { ok: new Double(1) };
  },
  refreshSessions: () => ({ ok: new Double(1) }),
  startSession: () => {
    const id = new Binary(Buffer.from(crypto.getRandomValues(new Uint8Array(16))), 4);
    return { id: { id }, timeoutMinutes: new Int32(30), ok: new Double(1) };
  },
  whatsmyuri: (ctx) => ({ you: ctx.conn.remote, ok: new Double(1) }),
  hostInfo: () => ({
    system: {
      currentTime: new Date(),
      hostname: 'localhost',
      cpuAddrSize: new Int32(64),
      numCores: new Int32(2),
      cpuArch: process.arch,
    },
    os: { type: process.platform, name: process.platform, version: process.version },
    extra: {},
    ok: new Double(1),
  }),
  getParameter: (ctx) => {
    const reply: Doc = {};
    const known: Doc = {
      featureCompatibilityVersion: { version: FEATURE_COMPATIBILITY_VERSION },
      authenticationMechanisms: ['SCRAM-SHA-1', 'SCRAM-SHA-256'],
      maxBSONDepth: new Int32(200),
      authSchemaVersion: new Int32(AUTH_SCHEMA_VERSION),
    };
    if (
      ctx.body.getParameter === '*' ||
      (isPlainObject(ctx.body.getParameter) && ctx.body.getParameter.allParameters === true)
    )
      Object.assign(reply, known);
    else for (const k of Object.keys(ctx.body)) if (k in known) reply[k] = known[k];
    return { ...reply, ok: new Double(1) };
  },
  getCmdLineOpts: () => ({ argv: ['mongod'], parsed: {}, ok: new Double(1) }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: new Double(1) }),
  serverStatus: (ctx) => {
    const s = ctx.server.stats;
    const mem = process.memoryUsage();
    return {
      host: `${ctx.server.host}:${ctx.server.port}`,
      version: SERVER_VERSION,
      process: 'mongod',
      pid: Long.fromNumber(process.pid),
      uptime: new Double((Date.now() - ctx.server.startTime) / 1000),
      uptimeMillis: Long.fromNumber(Date.now() - ctx.server.startTime),
      localTime: new Date(),
      connections: {
        current: new Int32(s.connectionsCurrent),
        available: new Int32(1_000_000),
        totalCreated: new Int32(s.connectionsTotal),
      },
      opcounters: {
        insert: Long.fromNumber(s.inserts),
        query: Long.fromNumber(s.queries),
        update: Long.fromNumber(s.updates),
        delete: Long.fromNumber(s.deletes),
        getmore: Long.fromNumber(s.getmores),
        command: Long.fromNumber(s.commands),
      },
      mem: {
        bits: new Int32(64),
        resident: new Int32(Math.round(mem.rss / 1048576)),
        virtual: new Int32(Math.round(mem.rss / 1048576)),
      },
      metrics: {
        cursor: { open: { total: Long.fromNumber(ctx.server.cursors.size) } },
        queryExecutor: { scannedObjects: Long.fromNumber(scannedObjects(ctx)) },
      },
      storageEngine: { name: 'wiredTiger', supportsCommittedReads: true, readOnly: false, persistent: false },
      ok: new Double(1),
    };
  },
  replSetGetStatus: () => {
    throw new CommandError(76, 'not running with --replSet');
  },
  usersInfo: (ctx) => {
    const users = ctx.server.users.list().map((u) => ({
      _id: `${u.db}.${u.user}`,
      userId: new Binary(Buffer.alloc(16), 4),
      user: u.user,
      db: u.db,
      roles: [{ role: 'root', db: 'admin' }],
      mechanisms: u.mechanisms,
    }));
    const want = ctx.body.usersInfo;
    const filtered = users.filter((u) => {
      if (isNumber(want)) return u.db === ctx.db;
      if (isPlainObject(want) && want.forAllDBs === true) return true;
      if (typeof want === 'string') return u.user === want && u.db === ctx.db;
      if (isPlainObject(want)) return u.user === want.user && u.db === want.db;
      if (Array.isArray(want))
        return want.some((w) =>
          typeof w === 'string'
            ? w === u.user && u.db === ctx.db
            : isPlainObject(w) && w.user === u.user && w.db === u.db,
        );
      return false;
    });
    return { users: filtered, ok: new Double(1) };
  },
  _mergeAuthzCollections: mergeAuthzCollections,
  rolesInfo: (ctx) => {
    // Only built-in roles exist here (no createRole): user-defined roles are always none.
    const want = ctx.body.rolesInfo;
    const named = (role: unknown, db: unknown) =>
      typeof role === 'string' && BUILTIN_ROLES.has(role) && (db === 'admin' || !ADMIN_ONLY_ROLES.has(role))
        ? [builtinRole(role, String(db))]
        : [];
    let roles: Doc[] = [];
    if (isNumber(want))
      roles = ctx.body.showBuiltinRoles === true ? [...BUILTIN_ROLES].flatMap((r) => named(r, ctx.db)) : [];
    else if (typeof want === 'string') roles = named(want, ctx.db);
    else if (isPlainObject(want) && want.forAllDBs === true) roles = [];
    else if (isPlainObject(want)) roles = named(want.role, want.db);
    else if (Array.isArray(want))
      roles = want.flatMap((w) =>
        typeof w === 'string' ? named(w, ctx.db) : isPlainObject(w) ? named(w.role, w.db) : [],
      );
    else throw new CommandError(14, "BSON field 'rolesInfo' is the wrong type");
    return { roles, ok: new Double(1) };
  },
  getLog: () => ({ totalLinesWritten: new Int32(0), log: [], ok: new Double(1) }),
  connectionStatus: (ctx) => {
    const u = ctx.conn.user;
    return {
      authInfo: {
        authenticatedUsers: u ? [{ user: u.user, db: u.db }] : [],
        authenticatedUserRoles: u ? [{ role: 'root', db: 'admin' }] : [],
      },
      ok: new Double(1),
    };
  },
};

/** Documents examined by filters so far, over the collections that exist now. */
function scannedObjects(ctx: CommandContext): number {
  let total = 0;
  for (const db of ctx.server.storage.dbs.values())
    for (const coll of db.collections.values()) total += coll.scannedObjects;
  return total;
}

/** mongod's built-in roles that exist only on the admin database. */
const ADMIN_ONLY_ROLES = new Set([
  'clusterAdmin',
  'clusterManager',
  'clusterMonitor',
  'hostManager',
  'backup',
  'restore',
  'readAnyDatabase',
  'readWriteAnyDatabase',
  'userAdminAnyDatabase',
  'dbAdminAnyDatabase',
  'root',
  '__system',
]);
/** mongod's built-in roles: those of every database, then ADMIN_ONLY_ROLES. */
const BUILTIN_ROLES = new Set(['read', 'readWrite', 'dbAdmin', 'dbOwner', 'userAdmin', ...ADMIN_ONLY_ROLES]);

function builtinRole(role: string, db: string): Doc {
  return { role, db, isBuiltin: true, roles: [], inheritedRoles: [] };
}
