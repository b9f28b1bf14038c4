/**
 * The last choices a person made for a provider between a source and a target (load level, policies,
 * verification), offered again next time. Kept in the data folder as `last-choices.json` (owner-only);
 * only plain settings, never connection strings or secrets. Without a data folder: for this run only.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MAX_ENTRIES = 200;
const MAX_VALUE = 200;

type Entries = Record<string, { at: number; values: Record<string, string> }>;

export class LastChoices {
  private entries?: Promise<Entries>;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly file?: string) {}

  static inDataDir(dataDir: string): LastChoices {
    return new LastChoices(path.join(dataDir, 'last-choices.json'));
  }

  async get(providerId: string, key: string): Promise<Record<string, string> | undefined> {
    return (await this.load())[`${providerId}\u0000${key}`]?.values;
  }

  async keep(providerId: string, key: string, values: Record<string, string>): Promise<void> {
    const clean = Object.fromEntries(
      Object.entries(values).filter(([, v]) => typeof v === 'string' && v.length <= MAX_VALUE),
    );
    this.chain = this.chain.then(async () => {
      const entries = await this.load();
      entries[`${providerId}\u0000${key}`] = { at: Date.now(), values: clean };
      const keys = Object.keys(entries).sort((a, b) => entries[b].at - entries[a].at);
      for (const old of keys.slice(MAX_ENTRIES)) delete entries[old];
      if (!this.file) return;
      await mkdir(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(entries, null, 2), { mode: 0o600 });
      await rename(temp, this.file);
    });
    return this.chain;
  }

  private load(): Promise<Entries> {
    this.entries ??= (async () => {
      if (!this.file) return {};
      try {
        const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Entries) : {};
      } catch {
        // Missing or unreadable: start afresh (these are only defaults).
        return {};
      }
    })();
    return this.entries;
  }
}
