/**
 * Connecting when a person is waiting (Connect, Test connection, choosing a copy target): the driver
 * keeps trying a refused port or an unknown host until its server-selection time limit (8 s here),
 * although nothing will change in that time. This gives up as soon as every host of the connection
 * string has refused the connection or failed to resolve, with that host's error (so the messages that
 * name ECONNREFUSED / ENOTFOUND still apply). Jobs keep the driver's patience: they retry on purpose.
 * SDK helper (`@cutover/provider-api/mongodb`), used by the host and the built-in providers.
 */
import type { MongoClient, MongoClientOptions, ServerDescriptionChangedEvent } from 'mongodb';

/** Errors that another attempt within seconds will not fix. */
const HOPELESS = /ECONNREFUSED|ENOTFOUND/;

function isHopeless(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { message?: unknown; code?: unknown; cause?: unknown };
  return HOPELESS.test(`${String(e.message ?? '')} ${String(e.code ?? '')}`) || isHopeless(e.cause, depth + 1);
}

/** client.connect(), failing at once when every seed host refuses or does not resolve. */
export async function connectPromptly(client: MongoClient): Promise<MongoClient> {
  const { srvHost, loadBalanced, hosts } = client.options;
  // An SRV name resolves to hosts the driver finds later; a load balancer hides them: just connect.
  if (srvHost || loadBalanced || hosts.length === 0) return client.connect();
  const seeds = new Set(hosts.map((host) => host.toString().toLowerCase()));
  const failed = new Map<string, unknown>();
  let giveUp!: (error: unknown) => void;
  const hopeless = new Promise<never>((_, reject) => (giveUp = reject));
  const watch = (event: ServerDescriptionChangedEvent) => {
    const address = event.address.toLowerCase();
    const error = event.newDescription.error;
    if (!error || !isHopeless(error)) {
      failed.delete(address);
      return;
    }
    failed.set(address, error);
    if ([...seeds].every((seed) => failed.has(seed))) giveUp(error);
  };
  client.on('serverDescriptionChanged', watch);
  try {
    return await Promise.race([client.connect(), hopeless]);
  } finally {
    client.off('serverDescriptionChanged', watch);
  }
}

export interface PingOptions {
  /** Server selection and connect time limit, in milliseconds. */
  timeoutMs: number;
  /** The database pinged (default admin). */
  database?: string;
  appName?: string;
  driverOptions?: MongoClientOptions;
}

/**
 * A client of a server that answered: opened, connected (`connectPromptly`) and pinged, for someone
 * waiting (Connect, Test connection, choosing a target). When a step fails the client is closed and the
 * driver's own error thrown (`describeMongoError` turns it into a sentence).
 */
export async function openPingedClient(uri: string, options: PingOptions): Promise<MongoClient> {
  const { MongoClient: Client } = await import('mongodb');
  const client = new Client(uri, {
    serverSelectionTimeoutMS: options.timeoutMs,
    connectTimeoutMS: options.timeoutMs,
    appName: options.appName ?? 'Cutover',
    ...options.driverOptions,
  });
  try {
    await connectPromptly(client);
    await client.db(options.database ?? 'admin').command({ ping: 1 });
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
