/** The file formats the files provider reads and writes, and how they are named to people. */
import { CutoverError } from '../api/index';

export const IMPORT_FORMATS = ['json', 'ndjson', 'csv', 'tsv', 'bson', 'mongodump'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'tsv', 'mongodump'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type EjsonMode = 'canonical' | 'relaxed';
export type OnError = 'stop' | 'continue';

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  json: 'JSON (an array or one value after another)',
  ndjson: 'JSON Lines / NDJSON (one document per line)',
  csv: 'CSV',
  tsv: 'TSV (tab-separated)',
  bson: 'BSON (.bson, as mongodump writes it)',
  mongodump: 'mongodump folder (.bson + .metadata.json)',
};

/** Decoding that keeps every BSON type as it was, so documents re-encode byte for byte. */
export { EXACT_BSON as EXACT } from '../shared/raw-bson';

/** MongoDB's document size limit. */
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

/** A problem with the input that names the file and where in it, and what to do. */
export class InputError extends CutoverError {
  override name = 'InputError';
}
