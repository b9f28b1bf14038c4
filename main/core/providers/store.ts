/**
 * Installed providers in Cutover's data folder: `providers/<id>/` holds the package (copied from a folder
 * or extracted from an `npm pack` tarball), `providers.json` their state (enabled, allowed by the person,
 * package hash), `provider-data/<id>/` each provider's own data folder and bounded log.
 * Nothing here runs a provider's code.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extract as extractTar, list as listTar } from 'tar';
import { parseManifest, readManifest, ManifestError, type ProviderManifest } from './manifest';
import { sha256File, sha256Folder } from './package-hash';

export interface InstalledState {
  enabled: boolean;
  /** The person allowed it to run (asked on first use). */
  allowed: boolean;
  /** SHA-256 of the tarball as installed, or of the deterministic tar of the folder. */
  sha256: string;
  /** SHA-256 of the installed folder (deterministic tar): checked before each load. */
  treeSha256: string;
  source: 'folder' | 'tarball';
  installedAt: number;
}

export interface InstalledProvider {
  manifest: ProviderManifest;
  state: InstalledState;
  /** Where the package is. */
  dir: string;
}

const MAX_TARBALL = 100 * 1024 * 1024;

export class ProviderStore {
  readonly root: string;
  private readonly stateFile: string;

  constructor(readonly dataDir: string) {
    this.root = path.join(dataDir, 'providers');
    this.stateFile = path.join(dataDir, 'providers.json');
  }

  packageDir(id: string): string {
    return path.join(this.root, id);
  }

  /** The provider's own data folder (created when asked for). */
  async providerDataDir(id: string): Promise<string> {
    const dir = path.join(this.dataDir, 'provider-data', id);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  private async readState(): Promise<Record<string, InstalledState>> {
    try {
      const parsed = JSON.parse(await readFile(this.stateFile, 'utf8')) as {
        providers?: Record<string, InstalledState>;
      };
      return parsed.providers ?? {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(
        `${this.stateFile} cannot be read: ${(error as Error).message}. Fix or remove it, then reinstall the providers.`,
      );
    }
  }

  private async writeState(state: Record<string, InstalledState>): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ providers: state }, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.stateFile);
  }

  async list(): Promise<InstalledProvider[]> {
    const state = await this.readState();
    const out: InstalledProvider[] = [];
    for (const [id, s] of Object.entries(state).sort(([a], [b]) => a.localeCompare(b))) {
      try {
        out.push({ manifest: await readManifest(this.packageDir(id)), state: s, dir: this.packageDir(id) });
      } catch {
        // A package whose files went missing is left out of the list (remove or reinstall it).
      }
    }
    return out;
  }

  /** The enabled providers' manifests, read synchronously (for registering them when the core starts). */
  listEnabledSync(): ProviderManifest[] {
    let state: Record<string, InstalledState>;
    try {
      state =
        (JSON.parse(readFileSync(this.stateFile, 'utf8')) as { providers?: Record<string, InstalledState> })
          .providers ?? {};
    } catch {
      return [];
    }
    const out: ProviderManifest[] = [];
    for (const [id, s] of Object.entries(state)) {
      if (!s.enabled) continue;
      try {
        const file = path.join(this.packageDir(id), 'package.json');
        out.push(parseManifest(JSON.parse(readFileSync(file, 'utf8')), file));
      } catch {
        // Unreadable: left out (the Providers screen lists what can be read).
      }
    }
    return out;
  }

  async get(id: string): Promise<InstalledProvider | undefined> {
    const s = (await this.readState())[id];
    if (!s) return undefined;
    return { manifest: await readManifest(this.packageDir(id)), state: s, dir: this.packageDir(id) };
  }

  /**
   * Unpacks a folder or tarball into a private staging folder and reads its manifest; `check` may refuse
   * it (the policy) before it is put in place. Replaces an installed provider with the same id.
   */
  async install(
    source: string,
    check?: (manifest: ProviderManifest, sha256: string) => void,
  ): Promise<InstalledProvider> {
    const info = await stat(source).catch(() => undefined);
    if (!info) throw new ManifestError(`${source} does not exist.`);
    await mkdir(this.root, { recursive: true });
    const staging = path.join(this.root, `.incoming-${randomUUID()}`);
    try {
      let sha256: string;
      let kind: InstalledState['source'];
      if (info.isDirectory()) {
        await cp(source, staging, {
          recursive: true,
          filter: (src) => path.basename(src) !== '.git',
          verbatimSymlinks: true,
        });
        sha256 = await sha256Folder(staging);
        kind = 'folder';
      } else if (info.isFile()) {
        if (info.size > MAX_TARBALL)
          throw new ManifestError(
            `${path.basename(source)} is ${Math.round(info.size / 1048576)} MB: a provider package may be at most ${MAX_TARBALL / 1048576} MB.`,
          );
        sha256 = await sha256File(source);
        await this.extract(source, staging);
        kind = 'tarball';
      } else throw new ManifestError(`${source} is neither a folder nor a file.`);
      const manifest = await readManifest(staging);
      check?.(manifest, sha256);
      await stat(path.join(staging, manifest.entry)).catch(() => {
        throw new ManifestError(
          `Provider "${manifest.id}" names entry ${manifest.entry}, which is not in the package (build it before packing).`,
        );
      });
      const treeSha256 = kind === 'folder' ? sha256 : await sha256Folder(staging);
      const state = await this.readState();
      const target = this.packageDir(manifest.id);
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
      const previous = state[manifest.id];
      state[manifest.id] = {
        enabled: previous?.enabled ?? true,
        // A different package must be allowed again.
        allowed: previous?.allowed === true && previous.sha256 === sha256,
        sha256,
        treeSha256,
        source: kind,
        installedAt: Date.now(),
      };
      await this.writeState(state);
      return { manifest, state: state[manifest.id], dir: target };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  private async extract(file: string, into: string): Promise<void> {
    const names: string[] = [];
    try {
      await listTar({ file, onReadEntry: (entry) => void names.push(entry.path) });
    } catch (error) {
      throw new ManifestError(
        `${path.basename(file)} is not a tarball (npm pack makes one): ${(error as Error).message}`,
      );
    }
    if (names.length === 0)
      throw new ManifestError(`${path.basename(file)} is empty or not a tarball (npm pack makes one).`);
    // npm pack puts everything under package/.
    const strip = names.every((n) => n.startsWith('package/')) ? 1 : 0;
    await mkdir(into, { recursive: true });
    await extractTar({
      file,
      cwd: into,
      strip,
      filter: (_p, entry) =>
        'type' in entry && (entry.type === 'File' || entry.type === 'Directory' || entry.type === 'OldFile'),
    });
  }

  async update(id: string, change: Partial<Pick<InstalledState, 'enabled' | 'allowed'>>): Promise<InstalledState> {
    const state = await this.readState();
    if (!state[id]) throw new ManifestError(`No installed provider "${id}".`);
    state[id] = { ...state[id], ...change };
    await this.writeState(state);
    return state[id];
  }

  async remove(id: string): Promise<void> {
    const state = await this.readState();
    if (!state[id]) throw new ManifestError(`No installed provider "${id}".`);
    delete state[id];
    await this.writeState(state);
    await rm(this.packageDir(id), { recursive: true, force: true });
  }
}
