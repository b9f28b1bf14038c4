/**
 * JSON: one top-level array of documents, or documents one after another (mongoexport's default), read
 * with stream-json so the file is never held whole. Each element goes through Extended JSON (canonical
 * or relaxed) so $oid, $date, $numberLong… become their BSON types. When the JSON is broken, the file
 * is checked again with stream-json's verifier to name the exact line and column.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { BSON } from 'mongodb';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import verifier from 'stream-json/utils/verifier.js';
import { createGunzip } from 'node:zlib';
import { InputError } from '../formats';
import type { SourceRecord } from './record';

export interface JsonOptions {
  file: string;
  gzip: boolean;
  /** True when the file is one top-level array (from the detector). */
  array: boolean;
}

export async function* jsonRecords(chunks: AsyncIterable<Buffer>, options: JsonOptions): AsyncGenerator<SourceRecord> {
  const steps: unknown[] = [Readable.from(chunks), parser({ jsonStreaming: !options.array }), options.array ? streamArray() : streamValues()];
  const pipeline = (chain as unknown as (fns: unknown[]) => AsyncIterable<{ key: number; value: unknown }>)(steps);
  const what = options.array ? 'element' : 'document';
  let last = -1;
  try {
    for await (const item of pipeline) {
      last = item.key;
      const where = `${what} ${item.key + 1}`;
      const value = item.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { index: item.key, where, error: `a document ({…}) was expected, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)?.slice(0, 40)}`, size: 16 };
        continue;
      }
      try {
        yield { index: item.key, where, doc: BSON.EJSON.deserialize(value as BSON.Document, { relaxed: false }) as BSON.Document, size: 0 };
      } catch (error) {
        yield { index: item.key, where, error: `not valid Extended JSON: ${(error as Error).message}`, size: 16 };
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const place = await locateJsonError(options.file, options.gzip, !options.array);
    const after = last >= 0 ? `after ${what} ${last + 1}` : `before the first ${what}`;
    const truncated = /expected|has expected/i.test((error as Error).message) && place?.atEnd;
    throw new InputError(
      `${options.file}${place ? `, line ${place.line}, column ${place.column}` : ''}: ${truncated ? 'the JSON ends too early (the file is truncated)' : `the JSON is not valid (${(error as Error).message.replace(/^Parser (cannot parse input|has expected): ?/, '')})`}, ${after}. ${last >= 0 ? `The ${what}s before it were read; ` : ''}fix the file and import it again.`,
    );
  }
}

/** Runs the verifier over the file to find where the JSON breaks (error path only). */
async function locateJsonError(file: string, gzip: boolean, jsonStreaming: boolean): Promise<{ line: number; column: number; atEnd: boolean } | undefined> {
  let size = 0;
  const input = createReadStream(file);
  const source = gzip ? input.pipe(createGunzip()) : input;
  source.on('data', (chunk: Buffer) => (size += chunk.length));
  const check = verifier.asStream({ jsonStreaming });
  try {
    await new Promise<void>((resolve, reject) => {
      check.on('error', reject);
      source.on('error', reject);
      check.on('finish', resolve);
      source.pipe(check);
      check.resume();
    });
    return undefined;
  } catch (error) {
    const e = error as { line?: number; pos?: number; offset?: number };
    input.destroy();
    if (typeof e.line !== 'number') return undefined;
    return { line: e.line, column: e.pos ?? 0, atEnd: typeof e.offset === 'number' && e.offset >= size - 1 };
  }
}
