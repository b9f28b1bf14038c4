/**
 * Package hashes for the administrator's policy: the SHA-256 of a tarball as installed, and for a folder
 * the SHA-256 of a deterministic tar of it (files sorted, fixed times, no owner or device data), so the
 * same folder always hashes the same on any machine.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar } from 'tar';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Regular files and folders under dir, relative, sorted (symbolic links and .git are left out). */
async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(path.join(dir, prefix), { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      out.push(`${rel}/`, ...(await listTree(dir, rel)));
    } else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export async function sha256Folder(dir: string): Promise<string> {
  const files = await listTree(dir);
  const hash = createHash('sha256');
  const stream = createTar({ cwd: dir, portable: true, mtime: new Date(0), noDirRecurse: true, gzip: false }, files);
  await pipeline(stream as unknown as NodeJS.ReadableStream, hash);
  return hash.digest('hex');
}
