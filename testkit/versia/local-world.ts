/**
 * Instances whose domain is their own address (`127.0.0.1:PORT`), reachable without any resolver:
 * connection strings are `versia+http://user:TOKEN@127.0.0.1:PORT`, so the built-in provider (plain
 * fetch, no injected resolver) can move accounts between them. Used by `npm run testkit:versia`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVersiaNetwork } from './network';
import { startVersiaInstance, type VersiaTestInstance } from './instance';
import { seedFollow } from './index';

export interface LocalWorld {
  old: VersiaTestInstance;
  new: VersiaTestInstance;
  third: VersiaTestInstance;
  /** With `reference`: an instance that behaves like Versia Server 0.9.0-alpha.0 on the wire, with @alice. */
  reference?: VersiaTestInstance;
  /** versia+http:// connection strings of the seeded accounts. */
  accounts: { old: string; new: string };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startLocalWorld(
  options: { ports?: number[]; followers?: number; reference?: boolean } = {},
): Promise<LocalWorld> {
  const network = createVersiaNetwork();
  const ports = options.ports ?? (await Promise.all([freePort(), freePort(), freePort()]));
  const [oldI, newI, third] = await Promise.all(
    ports.slice(0, 3).map((port) => startVersiaInstance({ domain: `127.0.0.1:${port}`, port, network })),
  );
  oldI.createUser('alice');
  newI.createUser('alice');
  for (let i = 0; i < (options.followers ?? 12); i++) {
    third.createUser(`friend${i}`);
    seedFollow({ instance: third, username: `friend${i}` }, { instance: oldI, username: 'alice' });
    if (i % 3 === 0) seedFollow({ instance: oldI, username: 'alice' }, { instance: third, username: `friend${i}` });
  }
  let reference: VersiaTestInstance | undefined;
  if (options.reference) {
    const port = options.ports?.[3] ?? (await freePort());
    reference = await startVersiaInstance({ domain: `127.0.0.1:${port}`, port, network, flavour: 'reference' });
    reference.createUser('alice');
  }
  const http = (instance: VersiaTestInstance) => instance.connectionString('alice').replace(/^versia:/, 'versia+http:');
  return {
    old: oldI,
    new: newI,
    third,
    reference,
    accounts: { old: http(oldI), new: http(newI) },
    stop: async () => {
      await Promise.all([oldI, newI, third, ...(reference ? [reference] : [])].map((i) => i.stop()));
    },
  };
}
