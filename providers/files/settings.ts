/**
 * The choices of an import or an export, read from presets (`context.extendedProperties`: the CLI,
 * History re-runs, a dropped file) and from the person's forms, and checked with clear messages.
 */
import path from 'node:path';
import { BSON } from 'mongodb';
import type { WritePolicy } from '../shared/mongo-writer';
import { parseTypeOverrides, type CsvType } from './csv-types';
import {
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  type EjsonMode,
  type ExportFormat,
  type ImportFormat,
  type OnError,
} from './formats';

export const CONFLICTS: WritePolicy[] = ['abort', 'drop', 'skip', 'overwrite'];
export const CONFLICT_LABELS: Record<WritePolicy, string> = {
  abort: 'Stop if the collection already has documents',
  drop: 'Drop the collection first',
  skip: 'Keep documents whose _id is already there',
  overwrite: 'Overwrite documents with the same _id',
};

export interface ImportSettings {
  file: string;
  format?: ImportFormat;
  delimiter?: string;
  coll?: string;
  types: Record<string, CsvType>;
  ignoreEmpty: boolean;
  onError: OnError;
  conflict: WritePolicy;
  maxLineBytes: number;
  batchDocs: number;
}

export interface ExportSettings {
  out: string;
  format: ExportFormat;
  ejson: EjsonMode;
  query?: string;
  fields: string[];
  gzip: boolean;
  keepPartial: boolean;
}

type Presets = Record<string, string | undefined>;

const yes = (value: string | undefined) => value === 'yes' || value === 'true' || value === '1';

function pick<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value as T)) throw new Error(`${name} must be one of ${allowed.join(', ')}, not "${value}".`);
  return value as T;
}

export function parseDelimiter(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|' };
  const d = named[value.toLowerCase()] ?? value;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r')
    throw new Error(`The delimiter must be one character (or tab, comma, semicolon, pipe), not "${value}".`);
  return d;
}

export function importSettingsFrom(presets: Presets): Omit<ImportSettings, 'file'> & { file?: string } {
  const maxLineMb = Number(presets.maxLineMB ?? 8);
  if (!(maxLineMb > 0 && maxLineMb <= 1024))
    throw new Error(`maxLineMB must be a number of megabytes, not "${presets.maxLineMB}".`);
  const batchDocs = Number(presets.batchDocs ?? 1000);
  if (!Number.isInteger(batchDocs) || batchDocs < 1)
    throw new Error(`batchDocs must be a positive whole number, not "${presets.batchDocs}".`);
  return {
    file: presets.file,
    format:
      presets.format && presets.format !== 'auto' ? pick('format', presets.format, IMPORT_FORMATS, 'json') : undefined,
    delimiter: parseDelimiter(presets.delimiter),
    coll: presets.coll || undefined,
    types: parseTypeOverrides(presets.types),
    ignoreEmpty: yes(presets.ignoreEmpty),
    onError: pick('onError', presets.onError, ['stop', 'continue'] as const, 'stop'),
    conflict: pick('conflict', presets.conflict, CONFLICTS, 'abort'),
    maxLineBytes: Math.round(maxLineMb * 1024 * 1024),
    batchDocs,
  };
}

export function formatFromExtension(file: string): ExportFormat | undefined {
  const ext = path.extname(file.replace(/\.gz$/i, '')).toLowerCase();
  return (
    { '.json': 'json', '.jsonl': 'ndjson', '.ndjson': 'ndjson', '.csv': 'csv', '.tsv': 'tsv' } as Record<
      string,
      ExportFormat
    >
  )[ext];
}

export function exportSettingsFrom(presets: Presets, defaultOut: string): ExportSettings {
  const out = presets.out || defaultOut;
  const format = presets.format
    ? pick('format', presets.format, EXPORT_FORMATS, 'json')
    : (formatFromExtension(out) ?? (path.extname(out) === '' ? 'mongodump' : 'json'));
  const query = presets.query?.trim() || undefined;
  checkQuery(query);
  return {
    out,
    format,
    ejson: pick('ejson', presets.ejson, ['canonical', 'relaxed'] as const, 'canonical'),
    query,
    fields: (presets.fields ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    gzip: yes(presets.gzip) || (format !== 'mongodump' && out.toLowerCase().endsWith('.gz')),
    keepPartial: yes(presets.keepPartial),
  };
}

export function checkQuery(query: string | undefined): void {
  if (!query) return;
  let parsed: unknown;
  try {
    parsed = BSON.EJSON.parse(query, { relaxed: false });
  } catch (error) {
    throw new Error(
      `The query is not valid Extended JSON: ${(error as Error).message}. Example: {"status": "active", "age": {"$gt": 30}}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('The query must be a JSON document, e.g. {"status": "active"}.');
}

/** A collection name from a file name: "Sales 2024.csv.gz" → "Sales_2024". */
export function collectionFromFile(file: string): string {
  const base = path
    .basename(file)
    .replace(/(\.gz)$/i, '')
    .replace(/\.(json|jsonl|ndjson|csv|tsv|tab|txt|bson)$/i, '');
  return (
    base
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 100) || 'imported'
  );
}
