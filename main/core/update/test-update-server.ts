/**
 * Tests only: a generic update server on 127.0.0.1, as electron-builder's `publish: generic` expects one:
 * `<channel>-linux.yml` channel files (version, files with sha512 and size, release notes, staging
 * percentage) generated from the packages it serves beside them.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';

const yaml = createRequire(import.meta.url)('js-yaml') as { dump(value: unknown): string };

export interface TestRelease {
  version: string;
  notes?: string;
  stagingPercentage?: number;
  /** The package's bytes (default: generated). */
  data?: Buffer;
  /** The channel file claims the sha512 of these bytes instead (a mismatch). */
  claimed?: Buffer;
}

export interface TestUpdateServer {
  url: string;
  /** Paths requested so far. */
  requests: string[];
  stop(): Promise<void>;
}

const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('base64');

export async function startTestUpdateServer(channels: Record<string, TestRelease>): Promise<TestUpdateServer> {
  const files = new Map<string, Buffer>();
  for (const [channel, release] of Object.entries(channels)) {
    const data = release.data ?? Buffer.from(`Cutover ${release.version} package `.repeat(4000));
    const name = `cutover_${release.version}_amd64.deb`;
    files.set(`/${name}`, data);
    const claimed = sha512(release.claimed ?? data);
    const info = {
      version: release.version,
      files: [{ url: name, sha512: claimed, size: data.length }],
      path: name,
      sha512: claimed,
      releaseDate: '2026-11-20T10:00:00.000Z',
      ...(release.notes ? { releaseNotes: release.notes } : {}),
      ...(release.stagingPercentage !== undefined ? { stagingPercentage: release.stagingPercentage } : {}),
    };
    files.set(`/${channel}-linux.yml`, Buffer.from(yaml.dump(info)));
  }
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(pathname);
    const body = files.get(pathname);
    if (!body) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
