/**
 * The one intake for files that may hold connections, however they arrive (dropped on the window,
 * opened by double-click, passed in argv, sent to a running instance, File > Open, the CLI).
 *
 * It looks at the file's name and first bytes (classifyFile) before reading the rest, so a huge or
 * binary file is refused quickly with bounded memory; then reads the connection formats: Cutover's
 * .cutover files, Compass exports, plain text (one connection string per line) and .env files.
 * Nothing is saved here: the result is a preview the person chooses from.
 */
import { open as openFile, readdir, stat as statFile } from 'node:fs/promises';
import path from 'node:path';
import { classifyFile, SNIFF_BYTES, type FileCategory } from './connection-files/classify';
import { decodeFileBytes } from './connection-files/parse-content';
import { readConnectionFile } from './connection-files/read-connection-file';
import { ConnectionFileError, type ConnectionFileFormat, type FileEntry } from './connection-files/types';

export const MAX_CONNECTION_FILE_BYTES = 10 * 1024 * 1024;

export interface IntakeFound {
  fileName: string;
  category: FileCategory;
  format?: ConnectionFileFormat;
  /** Every connection entry found, usable or not (an unusable one carries its error). */
  entries: FileEntry[];
  /** Every problem, each naming the file (and line or entry). */
  errors: string[];
  /** The file holds encrypted secrets: ask for the passphrase (again, when `errors` says it was wrong). */
  needsPassphrase?: boolean;
  /** The content read (text, or a file's bytes), kept on the main side so the same file can be read again with a passphrase. */
  content?: string | Uint8Array;
  /** For data files: what it looks like (json, ndjson, csv, bson, gzip, mongodump…). */
  dataFormat?: string;
}

export interface IntakeOptions {
  passphrase?: string;
  /**
   * The path came from the window (a drop in Electron): only regular files are read, and every failure
   * (missing, unreadable, a folder, a device, a kind Cutover does not read) gets the same answer, so the
   * window cannot use the intake to learn which files exist.
   */
  fromWindow?: boolean;
  /** Folders (a mongodump output) are refused too. */
  regularOnly?: boolean;
}

/** A dropped data file larger than this is refused (import it with Migrate… → Files instead). */
export const MAX_DROPPED_DATA_BYTES = 100 * 1024 ** 3;

/** The one answer the window gets for a path Cutover will not use, whatever the reason. */
export function unusableDrop(fileName: string): string {
  return `${fileName}: Cutover cannot use this file: it does not exist, cannot be read, or is not a connection file or a data file Cutover imports.`;
}

/**
 * Reads a file's content: text (a drop), or bytes read from disk (decoded where it is read, so a large
 * file is never decoded in the main thread). Large files are read in a worker (see read-connection-file).
 */
export async function intakeText(
  fileName: string,
  content: string | Uint8Array,
  options: IntakeOptions = {},
): Promise<IntakeFound> {
  const base = path.basename(fileName) || 'file';
  const kind = classifyFile(
    base,
    typeof content === 'string' ? content.slice(0, SNIFF_BYTES) : decodeFileBytes(content.subarray(0, SNIFF_BYTES)),
  );
  const result: IntakeFound = { fileName: base, category: kind.category, format: kind.format, entries: [], errors: [] };
  if (kind.category === 'unknown') {
    result.errors.push(`${base}: not a connection file (${kind.reason}).`);
    return result;
  }
  if (kind.category === 'data-file') {
    // Not an error: the caller hands data files to the files provider.
    result.dataFormat = kind.dataFormat;
    return result;
  }
  try {
    const parsed = await readConnectionFile(kind.format ?? 'text', content, { passphrase: options.passphrase });
    result.format = parsed.format;
    result.entries = parsed.entries;
    result.needsPassphrase = parsed.needsPassphrase;
    result.errors.push(...parsed.errors.map((e) => `${base}: ${e}.`));
    for (const entry of parsed.entries) {
      if (entry.error)
        result.errors.push(
          `${base} ${entry.where}${entry.name && !entry.where.startsWith('line') ? ` ("${entry.name}")` : ''}: ${entry.error}`,
        );
    }
    if (parsed.needsPassphrase || parsed.format === 'cutover' || parsed.format === 'compass') result.content = content;
  } catch (error) {
    if (!(error instanceof ConnectionFileError)) throw error;
    result.errors.push(`${base}: ${error.message}.`);
    return result;
  }
  if (result.entries.length === 0 && result.errors.length === 0) {
    result.errors.push(`${base}: not a connection file (no connection string found in it).`);
  }
  return result;
}

/** Reads a file from disk: its head first (to refuse binary, data and oversized files), then the rest. */
export async function intakeFile(filePath: string, options: IntakeOptions = {}): Promise<IntakeFound> {
  const base = path.basename(filePath);
  if (options.fromWindow) {
    const found = await intakeFile(filePath, { ...options, fromWindow: false, regularOnly: true });
    // Any text without a connection string (a key, a config) says no more than a missing file; Cutover's
    // own and Compass files say what is wrong with them.
    const nothing =
      found.category === 'unknown' ||
      (found.category === 'connection-file' &&
        !found.entries.length &&
        (found.format === 'text' || found.format === 'env')) ||
      (found.category === 'data-file' && found.dataFormat === 'mongodump');
    if (nothing) return { fileName: base, category: 'unknown', entries: [], errors: [unusableDrop(base)] };
    if (found.category === 'data-file' && (await fileSize(filePath)) > MAX_DROPPED_DATA_BYTES) {
      return {
        fileName: base,
        category: 'unknown',
        entries: [],
        errors: [
          `${base}: too large to import by dropping it; use Migrate… → Files: import and export → Import a file.`,
        ],
      };
    }
    return found;
  }
  const refuse = (category: FileCategory, error: string): IntakeFound => ({
    fileName: base,
    category,
    entries: [],
    errors: [error],
  });
  // Looked at before opening: opening a FIFO would block, a device has no end.
  let before;
  try {
    before = await statFile(filePath);
  } catch {
    before = undefined;
  }
  if (before && !before.isFile() && !(before.isDirectory() && !options.regularOnly)) {
    return refuse(
      'unknown',
      `${base}: cannot open (${before.isDirectory() ? 'it is a folder' : 'not a regular file'}).`,
    );
  }
  let handle;
  try {
    handle = await openFile(filePath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : (error as Error).message;
    return refuse('unknown', `${base}: cannot open (${why}).`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      if (await holdsDump(filePath))
        return { fileName: base, category: 'data-file', dataFormat: 'mongodump', entries: [], errors: [] };
      return refuse('unknown', `${base}: cannot open (it is a folder).`);
    }
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const headText = decodeFileBytes(head.subarray(0, bytesRead));
    const kind = classifyFile(base, headText);
    if (kind.category !== 'connection-file' || stat.size <= bytesRead)
      return await intakeText(filePath, headText, options);
    if (stat.size > MAX_CONNECTION_FILE_BYTES) {
      return refuse(
        'unknown',
        `${base}: not a connection file (${(stat.size / 1024 / 1024).toFixed(1)} MB is far larger than any connection file).`,
      );
    }
    // The bytes, not their text: a large file is decoded in the worker that reads it.
    return await intakeText(filePath, await handle.readFile(), options);
  } catch (error) {
    return refuse('unknown', `${base}: cannot read (${(error as Error).message}).`);
  } finally {
    await handle.close();
  }
}

async function fileSize(filePath: string): Promise<number> {
  try {
    return (await statFile(filePath)).size;
  } catch {
    return Infinity;
  }
}

/** A mongodump output folder: .bson files in it or in its database subfolders. */
async function holdsDump(folder: string): Promise<boolean> {
  const isDump = (name: string) => /\.bson(\.gz)?$/i.test(name);
  try {
    const top = await readdir(folder, { withFileTypes: true });
    if (top.some((entry) => entry.isFile() && isDump(entry.name))) return true;
    for (const sub of top.filter((entry) => entry.isDirectory()).slice(0, 50)) {
      if ((await readdir(path.join(folder, sub.name))).some(isDump)) return true;
    }
    return false;
  } catch {
    return false;
  }
}
