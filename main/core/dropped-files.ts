/**
 * Files dropped on or opened in the window. A connection file becomes an intake preview (nothing is saved
 * until the person commits); a data file is kept here by id, checked on the main side, and handed to the
 * files provider's import as a preset: the window never holds its path. Dropped content (no path the main
 * side can read) is kept as a private copy, removed once the import that reads it succeeds.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IntakeResult } from '../../preload/contract';
import { BadRequestError, NotFoundError } from '../../providers/api/errors';
import { IMPORTABLE_DATA_FORMATS } from './connection-files/classify';
import type { IntakeFound } from './intake';
import type { IntakePreviews } from './intake-previews';

/** A data file dropped or opened, checked on the main side, kept here by id: the window never holds its path. */
interface Drop {
  path: string;
  fileName: string;
  format: string;
}

/** Drops kept at most (oldest forgotten first). */
const MAX_DROPS = 100;

export class DroppedFiles {
  private readonly drops = new Map<string, Drop>();
  /** Private copies of dropped files (their folders), by the job importing them: removed once it succeeds. */
  private readonly copies = new Set<string>();
  private readonly importing = new Map<string, string>();

  /** `dataDir`: where private copies go (its drops/ folder; the system's temp folder without one). */
  constructor(
    private readonly dataDir: string | undefined,
    private readonly previews: IntakePreviews,
  ) {}

  /**
   * A connection file read by the intake becomes a preview: nothing is saved until the person commits.
   * A data file is handed on: its path (for dropped content, a private copy) goes to the files provider.
   */
  async toIntakeResult(found: IntakeFound, filePath?: () => Promise<string>): Promise<IntakeResult> {
    if (found.category !== 'data-file') return this.previews.create(found);
    const format = found.dataFormat ?? 'data';
    if (!IMPORTABLE_DATA_FORMATS.has(format) || !filePath) {
      return {
        fileName: found.fileName,
        connections: [],
        errors: [
          `${found.fileName}: not a connection file, and no provider imports ${format.toUpperCase()} files yet.`,
        ],
        category: 'data-file',
      };
    }
    const dropId = randomUUID();
    this.drops.set(dropId, { path: await filePath(), fileName: found.fileName, format });
    while (this.drops.size > MAX_DROPS) this.drops.delete(this.drops.keys().next().value!);
    return {
      fileName: found.fileName,
      connections: [],
      errors: [],
      category: 'data-file',
      dataFile: { dropId, format },
    };
  }

  /** The presets of a drop's import: its path, for reading, checked again now. */
  async presets(dropId: string, providerId: string, actionId: string | undefined): Promise<Record<string, string>> {
    const drop = this.drops.get(dropId);
    if (!drop) throw new NotFoundError('This dropped file is no longer available: drop it again.');
    if (providerId !== 'files' || actionId !== 'import')
      throw new BadRequestError(`${drop.fileName} can only be imported (Files: import and export → Import a file).`);
    const info = await stat(drop.path).catch(() => undefined);
    if (!info || !(info.isFile() || (info.isDirectory() && drop.format === 'mongodump')))
      throw new BadRequestError(`${drop.fileName} is no longer there: drop it again.`);
    this.drops.delete(dropId);
    return { file: drop.path };
  }

  /** Dropped content has no path the main side can read: keep a private copy for the import. */
  async copyOfText(fileName: string, text: string): Promise<string> {
    const parent = this.dataDir ? path.join(this.dataDir, 'drops') : os.tmpdir();
    await mkdir(parent, { recursive: true });
    const dir = await mkdtemp(path.join(parent, 'drop-'));
    const file = path.join(dir, path.basename(fileName) || 'dropped-file');
    await writeFile(file, text, { mode: 0o600 });
    this.copies.add(dir);
    return file;
  }

  /** A job started that reads `file`: if it is a private copy, it is removed once that job succeeds. */
  noteImport(jobId: string, file: string | undefined): void {
    const dir = file ? path.dirname(path.resolve(file)) : undefined;
    // A copy made in this run, or one in the data folder's drops/ (a job resumed from History after a restart).
    const inDrops =
      !!dir &&
      !!this.dataDir &&
      path.dirname(dir) === path.resolve(this.dataDir, 'drops') &&
      path.basename(dir).startsWith('drop-');
    if (dir && (this.copies.has(dir) || inDrops)) this.importing.set(jobId, dir);
  }

  /** Every job update: a succeeded import's private copy is removed. */
  jobUpdated(snapshot: { jobId: string; state: string }): void {
    const dir = this.importing.get(snapshot.jobId);
    if (!dir || snapshot.state !== 'succeeded') return;
    this.importing.delete(snapshot.jobId);
    this.copies.delete(dir);
    void rm(dir, { recursive: true, force: true });
  }
}
