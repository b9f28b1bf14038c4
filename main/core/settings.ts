/**
 * The person's preferences, kept in `<dataDir>/settings.json` (or in memory without a data folder):
 * today whether Cutover checks for updates by itself and on which channel. Validated when read; a file
 * that cannot be read is reported and never overwritten; changes are written atomically (temp + rename).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SettingsSchema, type Settings } from '../../preload/contract';
import { CutoverError } from '../../providers/api/errors';

export const DEFAULT_SETTINGS: Settings = { updates: { automatic: true, channel: 'stable' } };

export class SettingsError extends CutoverError {
  override name = 'SettingsError';
}

export type SettingsChange = { updates?: Partial<Settings['updates']> };

export class SettingsStore {
  private current?: Settings;
  private chain: Promise<unknown> = Promise.resolve();
  /** Set when the file exists but cannot be used: nothing is written over it. */
  private damaged?: string;

  /** `file` undefined: kept in memory only. */
  constructor(private readonly file: string | undefined) {}

  static inDataDir(dataDir: string): SettingsStore {
    return new SettingsStore(path.join(dataDir, 'settings.json'));
  }

  async get(): Promise<Settings> {
    if (this.current) return this.current;
    let text: string | undefined;
    if (this.file) {
      try {
        text = await readFile(this.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          this.damaged = `${this.file} cannot be read: ${(error as Error).message}`;
      }
    }
    if (text !== undefined) {
      try {
        const parsed = SettingsSchema.safeParse(JSON.parse(text));
        if (parsed.success) this.current = parsed.data;
        else
          this.damaged = `${this.file} is not valid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`;
      } catch (error) {
        this.damaged = `${this.file} is not valid JSON (${(error as Error).message})`;
      }
    }
    this.current ??= structuredClone(DEFAULT_SETTINGS);
    return this.current;
  }

  /** Why the settings file is not used (defaults apply instead), if it is not. */
  problem(): string | undefined {
    return this.damaged;
  }

  async update(change: SettingsChange): Promise<Settings> {
    const run = this.chain.then(async () => {
      const before = await this.get();
      const next = SettingsSchema.parse({ ...before, updates: { ...before.updates, ...change.updates } });
      if (this.file) {
        if (this.damaged)
          throw new SettingsError(`Settings were not saved: ${this.damaged}. Fix or remove that file first.`);
        await mkdir(path.dirname(this.file), { recursive: true });
        const temp = `${this.file}.${process.pid}.tmp`;
        await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
        await rename(temp, this.file);
      }
      this.current = next;
      return next;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
