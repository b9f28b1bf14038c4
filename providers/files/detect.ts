/**
 * Works out what a file is from its name and its first megabyte: gzip or not, BSON, JSON (an array or
 * documents one after another), JSON Lines, Extended JSON canonical or relaxed, CSV or TSV and the
 * delimiter; a folder is a mongodump output (collections and views). Binary or mis-encoded text is
 * refused here, with what to do.
 */
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { metadataStem, readMetadata, viewOnOf } from './dump-metadata';
import { InputError, type ImportFormat } from './formats';
import { describeStreamError, refuseIrregular } from './source-stream';
import { countNewlines, firstInvalidUtf8, incompleteTail } from './utf8';

export const SNIFF_BYTES = 1 << 20;

export type JsonFlavour = 'canonical' | 'relaxed' | 'plain';

export interface DumpCollection {
  file: string;
  coll: string;
  gzip: boolean;
  metadataFile?: string;
}

/** A view of a mongodump folder: only `<coll>.metadata.json[.gz]`, with `options.viewOn` and `options.pipeline`. */
export interface DumpView {
  coll: string;
  metadataFile: string;
  viewOn: string;
}

export interface Detection {
  file: string;
  format: ImportFormat;
  gzip: boolean;
  size: number;
  mtimeMs: number;
  delimiter?: string;
  /** JSON: one top-level array (else documents one after another). */
  jsonArray?: boolean;
  flavour?: JsonFlavour;
  /** The first megabyte (decompressed), cut at the last line break when the file is longer. */
  sample: Buffer;
  /** True when the sample is not the whole file. */
  sampleCut: boolean;
  /** mongodump: the collections found (one for a single .bson file). */
  collections?: DumpCollection[];
  /** mongodump folder: the views found (restored after the collections). */
  views?: DumpView[];
  /** mongodump folder: what was found but is left out, and why. */
  dumpNotes?: string[];
}

export interface Overrides {
  format?: ImportFormat;
  delimiter?: string;
}

const TEXT_EXT: Record<string, ImportFormat> = {
  '.json': 'json',
  '.jsonl': 'ndjson',
  '.ndjson': 'ndjson',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.txt': 'csv',
};

export async function detectFile(file: string, overrides: Overrides = {}): Promise<Detection> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw describeStreamError(file, error);
    throw new InputError(
      code === 'ENOENT'
        ? `${file}: no such file or folder. Check the path (it is read on the machine running Cutover).`
        : `${file}: cannot be read (${(error as Error).message}).`,
    );
  }
  try {
    return await detectPath(file, info, overrides);
  } catch (error) {
    throw describeStreamError(file, error);
  }
}

async function detectPath(file: string, info: Stats, overrides: Overrides): Promise<Detection> {
  if (info.isDirectory()) {
    if (overrides.format && overrides.format !== 'mongodump')
      throw new InputError(`${file} is a folder: only a mongodump folder can be imported from a folder.`);
    const { collections, views, notes } = await scanDump(file);
    return {
      file,
      format: 'mongodump',
      gzip: collections.some((c) => c.gzip),
      size: 0,
      mtimeMs: info.mtimeMs,
      sample: Buffer.alloc(0),
      sampleCut: false,
      collections,
      views,
      dumpNotes: notes,
    };
  }
  refuseIrregular(file, info);
  if (info.size === 0) throw new InputError(`${file}: the file is empty.`);
  const head = await readHead(file, 4);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const { sample, cut } = await readSample(file, gzip);
  const base = path.basename(file).replace(/\.gz$/i, '');
  const ext = path.extname(base).toLowerCase();
  const detection = { file, gzip, size: info.size, mtimeMs: info.mtimeMs, sample, sampleCut: cut };
  const format = overrides.format ?? (ext === '.bson' ? 'bson' : undefined);
  if (format === 'bson' || format === 'mongodump') {
    if (!looksLikeBson(sample))
      throw new InputError(
        `${file}: this is not BSON (the first bytes are not a document length). Choose the format it really has, e.g. JSON or CSV.`,
      );
    const metadata = await findMetadata(file);
    return {
      ...detection,
      format: 'bson',
      collections: [{ file, coll: base.replace(/\.bson$/i, ''), gzip, metadataFile: metadata }],
    };
  }
  const text = checkText(sample, file, looksLikeBson(sample));
  const first = text.match(/\S/)?.[0];
  const byExt = TEXT_EXT[ext];
  if (format === 'json' || format === 'ndjson' || (!format && (first === '[' || first === '{'))) {
    if (first !== '[' && first !== '{')
      throw new InputError(
        `${file}: this is not JSON (it starts with ${JSON.stringify(text.trim().slice(0, 20))}). Choose the format CSV if it is a table.`,
      );
    const array = first === '[';
    let chosen: ImportFormat = format ?? 'json';
    if (!format) {
      const firstLine = text.slice(text.indexOf('{'), (text.indexOf('\n') + 1 || text.length + 1) - 1).trim();
      chosen = !array && isJsonObject(firstLine) ? 'ndjson' : 'json';
    }
    if (chosen === 'ndjson' && array)
      throw new InputError(`${file}: the file is one JSON array, not JSON Lines: choose the format JSON.`);
    return { ...detection, format: chosen, jsonArray: array, flavour: flavourOf(text) };
  }
  if (byExt === 'json' || byExt === 'ndjson')
    throw new InputError(
      `${file}: a ${ext} file should start with [ or {, but it starts with ${JSON.stringify(text.trim().slice(0, 20))}: it is not JSON. If it is a table, choose the format CSV.`,
    );
  const delimiter =
    overrides.delimiter ??
    (format === 'tsv' || (!format && byExt === 'tsv')
      ? '\t'
      : detectDelimiter(text, format === 'csv' ? ',' : undefined));
  return { ...detection, format: format ?? (delimiter === '\t' ? 'tsv' : 'csv'), delimiter };
}

/** Checks the sample is UTF-8 text and returns it decoded (without a BOM). */
function checkText(sample: Buffer, file: string, bsonLike: boolean): string {
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new InputError(`${file}: the file is UTF-16 text. Save it as UTF-8 and import it again.`);
  }
  const nul = sample.indexOf(0);
  if (nul !== -1) {
    throw new InputError(
      `${file}: this is not a text file (byte ${nul} is a NUL byte). ${bsonLike ? 'It looks like BSON (mongodump output): rename it to .bson or choose the format BSON.' : 'Choose a JSON, JSON Lines, CSV/TSV or BSON file.'}`,
    );
  }
  const whole = sample.subarray(0, sample.length - incompleteTail(sample));
  const bad = firstInvalidUtf8(whole);
  if (bad !== -1) {
    throw new InputError(
      `${file}, line ${1 + countNewlines(whole, bad)}: byte 0x${whole[bad].toString(16)} is not valid UTF-8. Save the file as UTF-8 (it may be Latin-1 / Windows-1252, or not a text file).`,
    );
  }
  const text = whole.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function looksLikeBson(sample: Buffer): boolean {
  if (sample.length < 5) return false;
  const length = sample.readInt32LE(0);
  if (length < 5 || length > 16 * 1024 * 1024 + 16 * 1024) return false;
  if (length <= sample.length && sample[length - 1] !== 0) return false;
  const type = sample[4];
  return (type >= 1 && type <= 19) || type === 0x7f || type === 0xff || (length === 5 && type === 0);
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function flavourOf(text: string): JsonFlavour {
  if (/"\$number(Int|Double|Long|Decimal)"\s*:/.test(text)) return 'canonical';
  if (/"\$(oid|date|binary|regularExpression|timestamp|numberLong|uuid|minKey|maxKey|code|symbol)"\s*:/.test(text))
    return 'relaxed';
  return 'plain';
}

/** The delimiter that splits the first lines into the same number of cells (quotes ignored). */
export function detectDelimiter(text: string, fallback = ','): string {
  const lines = text
    .replace(/"(?:[^"]|"")*"/g, '""')
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .slice(0, 50);
  if (lines.length > 1 && text.length >= SNIFF_BYTES - 1) lines.pop(); // the last line may be cut
  let best = { delimiter: fallback, score: 0 };
  for (const delimiter of [',', '\t', ';', '|']) {
    const counts = lines.map((l) => l.split(delimiter).length - 1);
    const head = counts[0] ?? 0;
    if (head === 0) continue;
    const consistent = counts.filter((c) => c === head).length / counts.length;
    const score = consistent >= 0.8 ? head * consistent : 0;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readSample(file: string, gzip: boolean): Promise<{ sample: Buffer; cut: boolean }> {
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  const source = gzip ? input.pipe(createGunzip()) : input;
  const chunks: Buffer[] = [];
  let length = 0;
  let cut = false;
  try {
    for await (const chunk of source) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= SNIFF_BYTES) {
        cut = true;
        break;
      }
    }
  } catch (error) {
    if (!gzip) throw error;
    if (length === 0) throw new InputError(`${file}: the gzip data is damaged (${(error as Error).message}).`);
    cut = true;
  } finally {
    input.destroy();
  }
  let sample = Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
  if (cut) {
    const lastBreak = sample.lastIndexOf(10);
    if (lastBreak > 0 && sample[0] !== 0 && !looksLikeBson(sample)) sample = sample.subarray(0, lastBreak + 1);
  }
  return { sample, cut };
}

async function findMetadata(bsonFile: string): Promise<string | undefined> {
  const stem = bsonFile.replace(/\.gz$/i, '').replace(/\.bson$/i, '');
  for (const candidate of [`${stem}.metadata.json`, `${stem}.metadata.json.gz`]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      /* not there */
    }
  }
  return undefined;
}

/** What a mongodump folder holds: collections (with documents) and views (metadata only). */
interface DumpContents {
  collections: DumpCollection[];
  views: DumpView[];
  notes: string[];
}

const SYSTEM_DATABASES = new Set(['admin', 'config', 'local']);

/** The collections and views of a mongodump folder: `<dir>/*`, or `<dir>/<db>/*` when it holds one database. */
async function scanDump(dir: string): Promise<DumpContents> {
  const here = await dumpContentsIn(dir);
  // `mongodump --oplog` writes oplog.bson (no metadata) beside the database folders: not a collection.
  const oplogOnly =
    here.views.length === 0 &&
    here.collections.length === 1 &&
    here.collections[0].coll === 'oplog' &&
    !here.collections[0].metadataFile;
  if (holdsDump(here) && !oplogOnly) return here;
  const entries = await readdir(dir, { withFileTypes: true });
  const withData: Array<{ name: string; contents: DumpContents }> = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || SYSTEM_DATABASES.has(entry.name)) continue;
    const contents = await dumpContentsIn(path.join(dir, entry.name));
    if (holdsDump(contents)) withData.push({ name: entry.name, contents });
  }
  if (withData.length === 1) {
    const { contents } = withData[0];
    if (oplogOnly)
      contents.notes.push(
        `${here.collections[0].file}: the oplog written by mongodump --oplog is not replayed (no point-in-time restore); the collections are imported as dumped.`,
      );
    return contents;
  }
  if (withData.length === 0 && oplogOnly) return here;
  if (withData.length > 1)
    throw new InputError(
      `${dir} holds the dumps of several databases (${withData.map((d) => d.name).join(', ')}): choose one of its folders.`,
    );
  throw new InputError(
    `${dir}: no .bson or .metadata.json files here: this is not a mongodump output folder. Choose the folder mongodump wrote (<collection>.bson files, or one folder per database).`,
  );
}

function holdsDump(contents: DumpContents): boolean {
  return contents.collections.length > 0 || contents.views.length > 0;
}

/**
 * One folder of a dump. A view is a metadata file whose options have `viewOn` (mongodump writes no
 * .bson for it; one beside it is not read, as mongorestore does not insert into a view).
 */
async function dumpContentsIn(dir: string): Promise<DumpContents> {
  const entries = await readdir(dir, { withFileTypes: true });
  const byStem = new Map<string, { bson?: string; gzip?: boolean; metadata?: string }>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const bson = /^(.+)\.bson(\.gz)?$/i.exec(entry.name);
    const stem = bson?.[1] ?? metadataStem(entry.name);
    if (stem === undefined || stem.startsWith('system.')) continue;
    const found = byStem.get(stem) ?? {};
    const file = path.join(dir, entry.name);
    if (bson) Object.assign(found, { bson: file, gzip: !!bson[2] });
    else if (!found.metadata || found.metadata.endsWith('.gz')) found.metadata = file; // .metadata.json before .metadata.json.gz, as findMetadata
    byStem.set(stem, found);
  }
  const contents: DumpContents = { collections: [], views: [], notes: [] };
  for (const [coll, found] of [...byStem].sort(([a], [b]) => a.localeCompare(b))) {
    const metadata = found.metadata ? await readMetadata(found.metadata) : undefined;
    const viewOn = metadata && viewOnOf(metadata);
    if (found.metadata && viewOn !== undefined) contents.views.push({ coll, metadataFile: found.metadata, viewOn });
    else if (found.bson)
      contents.collections.push({ file: found.bson, coll, gzip: !!found.gzip, metadataFile: found.metadata });
    else if (found.metadata) contents.notes.push(leftOut(found.metadata, coll, metadata?.type));
  }
  return contents;
}

function leftOut(metadataFile: string, coll: string, type: string | undefined): string {
  if (type === 'timeseries')
    return `${metadataFile} describes the time-series collection ${coll}, whose documents mongodump writes to system.buckets.${coll}.bson: it is left out (restore it with mongorestore).`;
  return `${metadataFile} has no ${coll}.bson beside it and is not a view: ${coll} is left out (there are no documents to import).`;
}
