/**
 * Before an import writes anything: the checkpoint key of each file, collection names MongoDB would refuse,
 * the error log of an interrupted import to carry on with, and (with "abort") target collections already
 * holding documents. Used by the import engine (import-engine.ts) and the target check (target-check.ts).
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { MongoClient } from 'mongodb';
import { InputError } from './formats';
import { importKey, type ImportCheckpoint, type ImportCheckpoints } from './import-checkpoints';
import type { ImportRequest, ImportSource } from './import-request';
import { refuseIrregular, describeStreamError } from './source-stream';

/** What identifies an import of this file into this collection (a changed file is a new import). */
export async function checkpointKey(
  source: ImportSource,
  request: Pick<ImportRequest, 'db' | 'ignoreEmpty'>,
): Promise<{ key: string; size: number }> {
  const info = await stat(source.file).catch((error) => {
    throw describeStreamError(source.file, error);
  });
  refuseIrregular(source.file, info);
  const key = importKey({
    file: path.resolve(source.file),
    size: info.size,
    mtimeMs: info.mtimeMs,
    db: request.db,
    coll: source.coll,
    format: source.format,
    delimiter: source.delimiter,
    types: source.types,
    ignoreEmpty: request.ignoreEmpty,
  });
  return { key, size: info.size };
}

/** Why MongoDB would refuse this collection name, or undefined. */
export function collectionNameProblem(db: string, coll: string): string | undefined {
  if (coll.length === 0) return 'it is empty';
  if (coll.includes('$')) return 'it contains "$"';
  if (coll.includes('\0')) return 'it contains a NUL character';
  if (coll.startsWith('.')) return 'it starts with "."';
  if (coll.startsWith('system.')) return 'names starting with "system." are reserved for MongoDB';
  if (Buffer.byteLength(`${db}.${coll}`) > 255)
    return `"${db}.${coll}" is longer than 255 bytes, the most MongoDB accepts`;
  return undefined;
}

/** Refuses, before anything is written, a collection or view name the target would refuse, naming the file it comes from. */
export function refuseInvalidNames(request: ImportRequest): void {
  const named = [
    ...request.sources.map((s) => ({ coll: s.coll, file: s.file })),
    ...(request.views ?? []).map((v) => ({ coll: v.coll, file: v.metadataFile })),
  ];
  for (const { coll, file } of named) {
    const problem = collectionNameProblem(request.db, coll);
    if (problem) {
      throw new InputError(
        `${file}: "${coll}" is not a valid collection name (${problem}). Nothing was imported. Rename the file, or import it on its own into a collection you name.`,
      );
    }
  }
}

/**
 * The error log of an interrupted import, to carry on with: the one of the first source still importing
 * (sources run in order, so it is the furthest along).
 */
export async function continuedLog(
  checkpoints: ImportCheckpoints,
  request: ImportRequest,
  warn: (message: string) => void,
): Promise<ImportCheckpoint | undefined> {
  for (const source of request.sources) {
    const { key } = await checkpointKey(source, request);
    const cp = await checkpoints.load(key);
    if (cp?.state !== 'importing' || !cp.errorLog) continue;
    // The checkpoint lives on the target, which is not trusted to name a file to write: only a log in
    // Cutover's own errors folder, by the name Cutover gives, is carried on (and cut back).
    const ours =
      path.dirname(path.resolve(cp.errorLog)) === path.dirname(path.resolve(request.errorLog)) &&
      /^import-[\w.-]+\.log$/.test(path.basename(cp.errorLog));
    if (!ours) {
      warn(
        `The checkpoint on the target names ${JSON.stringify(cp.errorLog)} as this import's error log, which is not in Cutover's errors folder: it was left alone, and bad rows go to ${request.errorLog}.`,
      );
      return undefined;
    }
    return cp;
  }
  return undefined;
}

/**
 * With "abort", every target collection is checked before anything is written (not each when its turn
 * comes), so a dump whose third collection is taken does not leave the first two imported. Collections
 * of an interrupted import that is resuming are its own.
 */
export async function refuseTakenCollections(
  client: MongoClient,
  checkpoints: ImportCheckpoints,
  request: ImportRequest,
): Promise<void> {
  const taken: string[] = [];
  for (const source of request.sources) {
    const { key } = await checkpointKey(source, request);
    if ((await checkpoints.load(key))?.state === 'importing') continue;
    if ((await client.db(request.db).collection(source.coll).countDocuments({}, { limit: 1 })) > 0)
      taken.push(`${request.db}.${source.coll}`);
  }
  if (taken.length === 0) return;
  throw new InputError(
    `${taken.join(', ')} already ${taken.length === 1 ? 'holds' : 'hold'} documents. Nothing was imported. Choose what to do with them: drop ${taken.length === 1 ? 'the collection' : 'the collections'} first, keep documents whose _id is already there (skip), or overwrite them.`,
  );
}
