/**
 * JSON Lines / NDJSON: one (Extended) JSON document per line, split on bytes so a line is only ever
 * held whole, with a maximum line length: a 10 MB line without a break stops with a clear message
 * instead of filling memory. Blank lines are skipped; a UTF-8 BOM at the very start is dropped.
 * Plain numbers keep what their literal says (json-numbers.ts).
 */
import { BSON } from 'mongodb';
import { InputError } from '../formats';
import { TooDeep, keepNumberLiterals } from '../json-numbers';
import { parseCanonicalEjson } from '../ejson-parse';
import type { SourceRecord } from './record';

export interface NdjsonOptions {
  file: string;
  maxLineBytes: number;
  /** When resuming: the byte offset, line and record index the chunks start at. */
  startOffset?: number;
  startLine?: number;
  startIndex?: number;
}

export async function* ndjsonRecords(
  chunks: AsyncIterable<Buffer>,
  options: NdjsonOptions,
): AsyncGenerator<SourceRecord> {
  const { file, maxLineBytes } = options;
  let offset = options.startOffset ?? 0;
  let line = options.startLine ?? 1;
  let index = options.startIndex ?? 0;
  let parts: Buffer[] = [];
  let partsLength = 0;
  let first = offset === 0;
  const tooLong = () =>
    new InputError(
      `${file}, line ${line}: the line is longer than ${Math.round(maxLineBytes / 1048576)} MB without a line break. In JSON Lines every document is on its own line; if this is one JSON array or object, choose the format JSON; otherwise raise the line limit.`,
    );
  const record = function (bytes: Buffer): SourceRecord | undefined {
    const lineLength = bytes.length + 1;
    let start = 0;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--; // CRLF
    while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
    const here = line;
    line++;
    offset += lineLength;
    if (start === end) return undefined;
    const text = bytes.toString('utf8', start, end);
    const at = index++;
    try {
      if (text.charCodeAt(0) !== 123 /* { */)
        throw new Error(
          text.charCodeAt(0) === 91
            ? 'found an array, not a document: if the whole file is one JSON array, choose the format JSON'
            : 'a document ({…}) was expected',
        );
      return { index: at, where: `line ${here}`, doc: parseLine(text), size: text.length, end: offset, nextLine: line };
    } catch (error) {
      const problem =
        error instanceof TooDeep
          ? `the JSON is ${error.message}, more than MongoDB stores in a document`
          : `not a valid JSON document: ${(error as Error).message}`;
      return { index: at, where: `line ${here}`, error: problem, size: text.length, end: offset, nextLine: line };
    }
  };
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        offset += 3;
      }
    }
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      let bytes = chunk.subarray(from, nl);
      if (partsLength) {
        if (partsLength + bytes.length > maxLineBytes) throw tooLong();
        bytes = Buffer.concat([...parts, bytes]);
        parts = [];
        partsLength = 0;
      } else if (bytes.length > maxLineBytes) throw tooLong();
      const r = record(bytes);
      if (r) yield r;
      from = nl + 1;
    }
    if (from < chunk.length) {
      partsLength += chunk.length - from;
      if (partsLength > maxLineBytes) throw tooLong();
      parts.push(Buffer.from(chunk.subarray(from)));
    }
  }
  if (partsLength) {
    const r = record(Buffer.concat(parts));
    if (r) {
      r.end = offset - 1;
      yield r;
    }
  }
}

/** One line as a document; a parse error is the one the line itself gives (not its rewritten numbers). */
function parseLine(text: string): BSON.Document {
  const kept = keepNumberLiterals(text);
  try {
    return parseCanonicalEjson(kept);
  } catch (error) {
    if (kept !== text) parseCanonicalEjson(text);
    throw error;
  }
}
