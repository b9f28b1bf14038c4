/**
 * A TCP proxy on 127.0.0.1 that delays every reply of the server behind it: a slow network in front of
 * any server (the test kit's or a real mongod from MONGODB_URI), so tests that must act mid-copy (pause,
 * kill) are not racing a copy that finishes first.
 *
 *   const slow = await startLatencyProxy(server.uri, { delayMs: 30 });
 *   new MongoClient(slow.uri)   // same server, every reply 30 ms later
 *   await slow.stop();
 */
import net from 'node:net';
import ConnectionString from 'mongodb-connection-string-url';

export interface LatencyProxy {
  /** The server's connection string with its host replaced by the proxy (and directConnection=true). */
  uri: string;
  stop(): Promise<void>;
}

export async function startLatencyProxy(serverUri: string, { delayMs }: { delayMs: number }): Promise<LatencyProxy> {
  const target = new ConnectionString(serverUri);
  const [host, port] = splitHost(target.hosts[0]);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host, port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    // Replies keep their order: each chunk leaves delayMs after it arrived.
    let last = 0;
    upstream.on('data', (chunk: Buffer) => {
      const due = Math.max(Date.now() + delayMs, last);
      last = due;
      setTimeout(() => client.destroyed || client.write(chunk), due - Date.now());
    });
    upstream.on('end', () => setTimeout(() => client.end(), Math.max(0, last - Date.now())));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => setTimeout(() => client.destroy(), Math.max(0, last - Date.now())));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const proxied = target.clone();
  proxied.hosts = [`127.0.0.1:${(server.address() as net.AddressInfo).port}`];
  proxied.searchParams.set('directConnection', 'true');
  return {
    uri: proxied.toString(),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitHost(hostPort: string): [string, number] {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hostPort);
  if (!match) throw new Error(`Cannot read host ${hostPort}`);
  return [match[1], Number(match[2] ?? 27017)];
}
