/**
 * A mongodump `<name>.metadata.json[.gz]`: the collection's options and indexes, or for a view its
 * definition (`options.viewOn`, `options.pipeline`, maybe `options.collation`) and no documents. Read by
 * the detection (to tell views from collections) and by the import (to restore them).
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { BSON, type Document } from 'mongodb';
import { InputError } from './formats';

export interface DumpMetadata {
  options: Document;
  indexes: Document[];
  /** `collection`, `view` or `timeseries`, as mongodump wrote it (older dumps leave it out). */
  type?: string;
}

export async function readMetadata(file: string): Promise<DumpMetadata> {
  try {
    const bytes = await readFile(file);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    const parsed = BSON.EJSON.parse(text, { relaxed: false }) as Document;
    return {
      options: (parsed.options as Document) ?? {},
      indexes: Array.isArray(parsed.indexes) ? (parsed.indexes as Document[]) : [],
      type: typeof parsed.type === 'string' ? parsed.type : undefined,
    };
  } catch (error) {
    throw new InputError(
      `${file}: not a valid mongodump metadata file (${(error as Error).message}). Restore the file from the dump, or remove it to leave that collection out.`,
    );
  }
}

/** The collection a view reads, when the metadata describes a view (mongodump writes no documents for one). */
export function viewOnOf(metadata: DumpMetadata): string | undefined {
  const viewOn = metadata.options.viewOn;
  return typeof viewOn === 'string' && viewOn !== '' ? viewOn : undefined;
}

/** `<stem>.metadata.json[.gz]` → `<stem>`, or undefined for another file. */
export function metadataStem(fileName: string): string | undefined {
  return /^(.+)\.metadata\.json(\.gz)?$/i.exec(fileName)?.[1];
}
