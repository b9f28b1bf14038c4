/**
 * TCP / TLS listener wiring connections, storage, cursors, users and faults together.
 */
import { installSystemCollections } from './system-collections.js';
import { rmSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Connection } from './connection.js';
import type { ServerState } from './context.js';
import { CursorManager } from './cursors.js';
import { Faults, type FaultConfig, type FaultController } from './faults.js';
import { UserStore, type UserConfig } from './scram.js';
import { Storage } from './storage.js';
import { createSelfSignedTls } from './tls.js';
import { MAX_BSON_SIZE } from './wire.js';

export interface MongoTestServerOptions {
  port?: number;
  host?: string;
  auth?: { users: UserConfig[] };
  tls?: boolean;
  faults?: Partial<FaultConfig>;
  log?: (msg: string) => void;
  /**
   * The largest document stored, in bytes (default 16 MB, as mongod). A smaller limit plays a target
   * such as Cosmos DB for MongoDB (RU), which refuses documents over 2 MB; hello reports it.
   */
  maxDocumentBytes?: number;
}

export interface MongoTestServer {
  uri: string;
  host: string;
  port: number;
  caFile?: string;
  faults: FaultController;
  stop(): Promise<void>;
}

function defaultLogger(): (msg: string) => void {
  const verbose = process.env.MONGO_TESTKIT_VERBOSE === '1';
  return verbose ? (msg) => process.stderr.write(`[mongo-testkit] ${msg}\n`) : () => undefined;
}

export async function startMongoTestServer(opts: MongoTestServerOptions = {}): Promise<MongoTestServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? defaultLogger();
  const material = opts.tls ? await createSelfSignedTls() : undefined;
  const connections = new Set<Connection>();
  const dropAll = (reason: string): void => {
    log(`dropping ${connections.size} connection(s): ${reason}`);
    for (const c of [...connections]) c.close(reason);
  };
  const faults = new Faults(opts.faults, () => dropAll('fault injection: closeAllConnections'));
  const state: ServerState = {
    storage: new Storage(),
    cursors: new CursorManager(),
    users: new UserStore(opts.auth?.users ?? []),
    faults,
    maxDocumentBytes: Math.min(opts.maxDocumentBytes ?? MAX_BSON_SIZE, MAX_BSON_SIZE),
    host,
    port: 0,
    startTime: Date.now(),
    log,
    stats: {
      connectionsCurrent: 0,
      connectionsTotal: 0,
      commands: 0,
      inserts: 0,
      queries: 0,
      updates: 0,
      deletes: 0,
      getmores: 0,
    },
  };
  installSystemCollections(state);

  const onSocket = (socket: net.Socket): void => {
    socket.setNoDelay(true);
    const c = new Connection(socket, state, dropAll, (closed) => {
      if (connections.delete(closed)) state.stats.connectionsCurrent--;
    });
    connections.add(c);
    state.stats.connectionsCurrent++;
    state.stats.connectionsTotal++;
  };

  const server: net.Server = material
    ? tls.createServer({ key: material.key, cert: material.cert }, onSocket)
    : net.createServer(onSocket);
  // refuse at the TCP level (before any TLS handshake)
  server.prependListener('connection', (raw: net.Socket) => {
    raw.on('error', () => undefined);
    if (faults.refusing()) {
      log('fault injection: refusing connection');
      raw.destroy();
    }
  });
  if (material) {
    server.on('tlsClientError', (err: Error) => log(`TLS client error: ${err.message}`));
  }
  server.on('error', (err) => log(`server error: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  state.port = port;
  const hostForUri = host.includes(':') ? `[${host}]` : host;
  let uri = `mongodb://${hostForUri}:${port}/`;
  if (material) uri += `?tls=true&tlsCAFile=${encodeURIComponent(material.caFile)}`;
  log(`listening on ${host}:${port}${material ? ' (tls)' : ''}`);

  let stopped = false;
  return {
    uri,
    host,
    port,
    caFile: material?.caFile,
    faults,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of [...connections]) c.close('server stopping');
      state.cursors.dispose();
      await closed;
      if (material) rmSync(material.dir, { recursive: true, force: true });
    },
  };
}
