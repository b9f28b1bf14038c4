/**
 * JSON: one top-level array of documents, or documents one after another (mongoexport's default), read
 * with stream-json so the file is never held whole. Each element goes through Extended JSON (canonical
 * or relaxed) so $oid, $date, $numberLong… become their BSON types. Plain numbers keep what their literal
 * says (json-numbers.ts: the parser hands over each number's text). When the JSON is broken, the file
 * is checked again with stream-json's verifier to name the exact line and column.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { BSON } from 'mongodb';
import chain from 'stream-chain';
import { many } from 'stream-chain/defs.js';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import verifier from 'stream-json/utils/verifier.js';
import { createGunzip } from 'node:zlib';
import { InputError } from '../formats';
import { MAX_JSON_DEPTH, TooDeep, numberFromLiteral } from '../json-numbers';
import type { SourceRecord } from './record';

export interface JsonOptions {
  file: string;
  gzip: boolean;
  /** True when the file is one top-level array (from the detector). */
  array: boolean;
}

export async function* jsonRecords(chunks: AsyncIterable<Buffer>, options: JsonOptions): AsyncGenerator<SourceRecord> {
  const steps: unknown[] = [
    Readable.from(chunks),
    parser({ jsonStreaming: !options.array, streamValues: false }),
    literalNumbers(options.array ? 1 : 0),
    options.array ? streamArray() : streamValues(),
  ];
  const pipeline = (chain as unknown as (fns: unknown[]) => AsyncIterable<{ key: number; value: unknown }>)(steps);
  const what = options.array ? 'element' : 'document';
  let last = -1;
  try {
    for await (const item of pipeline) {
      last = item.key;
      const where = `${what} ${item.key + 1}`;
      const value = item.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield {
          index: item.key,
          where,
          error: `a document ({…}) was expected, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)?.slice(0, 40)}`,
          size: 16,
        };
        continue;
      }
      try {
        yield {
          index: item.key,
          where,
          doc: BSON.EJSON.deserialize(value as BSON.Document, { relaxed: false }) as BSON.Document,
          size: 0,
        };
      } catch (error) {
        yield { index: item.key, where, error: `not valid Extended JSON: ${(error as Error).message}`, size: 16 };
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof TooDeep) {
      throw new InputError(
        `${options.file}, ${what} ${last + 2}: the JSON is nested deeper than ${MAX_JSON_DEPTH} levels, more than MongoDB stores in a document. ${last >= 0 ? `The ${what}s before it were read.` : 'Nothing was read.'}`,
      );
    }
    const place = await locateJsonError(options.file, options.gzip, !options.array);
    const after = last >= 0 ? `after ${what} ${last + 1}` : `before the first ${what}`;
    const truncated = /expected|has expected/i.test((error as Error).message) && place?.atEnd;
    throw new InputError(
      `${options.file}${place ? `, line ${place.line}, column ${place.column}` : ''}: ${truncated ? 'the JSON ends too early (the file is truncated)' : `the JSON is not valid (${(error as Error).message.replace(/^Parser (cannot parse input|has expected): ?/, '')})`}, ${after}. ${last >= 0 ? `The ${what}s before it were read; ` : ''}fix the file and import it again.`,
    );
  }
}

type Token = { name: string; value?: string };

/**
 * A step between the parser and the streamer: a number literal JavaScript would change becomes the
 * tokens of its canonical wrapper ({"$numberDouble": "10.0"}), which Extended JSON turns into the right
 * type; a number under a `$` key is Extended JSON's own. Refuses nesting deeper than MongoDB stores.
 */
function literalNumbers(outerLevels: number): (token: Token) => Token | ReturnType<typeof many> {
  let depth = 0;
  let key: string | undefined;
  return (token) => {
    switch (token.name) {
      case 'keyValue':
        key = token.value;
        return token;
      case 'startObject':
      case 'startArray':
        if (++depth - outerLevels > MAX_JSON_DEPTH) throw new TooDeep();
        break;
      case 'endObject':
      case 'endArray':
        depth--;
        break;
      case 'numberValue': {
        // A number that is a whole record (not in a document) stays a number: it is a bad row.
        const value = key?.startsWith('$') || depth <= outerLevels ? undefined : numberFromLiteral(token.value!);
        key = undefined;
        if (value === undefined || typeof value === 'number') return token;
        const [[type, text]] = Object.entries(value);
        return many([
          { name: 'startObject' },
          { name: 'keyValue', value: type },
          { name: 'stringValue', value: text },
          { name: 'endObject' },
        ]);
      }
    }
    key = undefined;
    return token;
  };
}

/** Runs the verifier over the file to find where the JSON breaks (error path only). */
async function locateJsonError(
  file: string,
  gzip: boolean,
  jsonStreaming: boolean,
): Promise<{ line: number; column: number; atEnd: boolean } | undefined> {
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
