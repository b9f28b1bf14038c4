/**
 * The intake's first look at a file, from its name and its first bytes only: a connection file (and
 * which format), a data file (JSON, NDJSON, CSV… for the data providers), or something else.
 * This is the seam where data files will be handed to a matching provider.
 */
import type { ConnectionFileFormat } from './types';

export type FileCategory = 'connection-file' | 'data-file' | 'unknown';

export interface FileClassification {
  category: FileCategory;
  /** For connection files: how to read it. */
  format?: ConnectionFileFormat;
  /** For data files: what it looks like (json, ndjson, csv…). */
  dataFormat?: string;
  /** For unknown files: why. */
  reason?: string;
}

/** How much of a file is enough to classify it. */
export const SNIFF_BYTES = 64 * 1024;

const DATA_EXTENSIONS: Record<string, string> = {
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.bson': 'bson',
  '.parquet': 'parquet',
  '.xlsx': 'xlsx',
  '.xls': 'xls',
  '.sql': 'sql',
  '.gz': 'gzip',
  '.zip': 'zip',
};

const BINARY_DATA_EXTENSIONS = new Set(['.bson', '.gz', '.parquet', '.xlsx', '.xls', '.zip']);

/** Data formats the files provider imports (plain or gzipped), and mongodump folders. */
export const IMPORTABLE_DATA_FORMATS = new Set(['json', 'ndjson', 'csv', 'tsv', 'bson', 'gzip', 'mongodump']);

export function classifyFile(fileName: string, head: string): FileClassification {
  const lower = fileName.toLowerCase();
  const ext = /\.[^./\\]+$/.exec(lower)?.[0] ?? '';
  // Binary data formats are recognised by name before the binary check.
  if (BINARY_DATA_EXTENSIONS.has(ext)) return { category: 'data-file', dataFormat: DATA_EXTENSIONS[ext] };
  if (isBinary(head)) return { category: 'unknown', reason: 'it is binary, not text' };
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{')) {
    if (
      /^\{\s*"type"\s*:\s*"Cutover Connections"/.test(text) ||
      /"type"\s*:\s*"Cutover Connections"/.test(text.slice(0, 4096))
    )
      return { category: 'connection-file', format: 'cutover' };
    if (/"type"\s*:\s*"Compass Connections"/.test(text.slice(0, 4096)))
      return { category: 'connection-file', format: 'compass' };
  }
  if (ext === '.cutover') return { category: 'connection-file', format: 'cutover' };
  if (DATA_EXTENSIONS[ext]) return { category: 'data-file', dataFormat: DATA_EXTENSIONS[ext] };
  if (text.startsWith('[') || text.startsWith('{'))
    return { category: 'data-file', dataFormat: /\}\s*\r?\n\s*\{/.test(text) ? 'ndjson' : 'json' };
  return {
    category: 'connection-file',
    format: /(^|\n)\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(text) ? 'env' : 'text',
  };
}

/** NUL bytes, or many control characters / replacement characters, mean binary. */
function isBinary(head: string): boolean {
  if (head.includes('\u0000')) return true;
  const sample = head.slice(0, 8192);
  if (!sample) return false;
  let odd = 0;
  for (const ch of sample) {
    const code = ch.charCodeAt(0);
    if (ch === '\uFFFD' || (code < 32 && ch !== '\n' && ch !== '\r' && ch !== '\t' && ch !== '\f')) odd++;
  }
  return odd / sample.length > 0.1;
}
