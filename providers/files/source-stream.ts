/**
 * Opens an input file as a stream of byte chunks: counts the bytes read from disk (for progress),
 * gunzips when asked, and starts at a byte offset when resuming. Text formats then go through
 * `checkedUtf8`, which refuses invalid UTF-8 with the line it is on.
 */
import { createReadStream, type Stats } from 'node:fs';
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from './formats';
import { countNewlines, firstInvalidUtf8, incompleteTail } from './utf8';

export interface ByteCounter {
  /** Bytes read from the file on disk (compressed bytes for .gz). */
  bytes: number;
}

/**
 * Bytes read at a time. Small enough that a piece is parsed before young collections would move it to
 * the old generation (1 MB pieces lived on there as garbage until a full collection: issue 14).
 */
const CHUNK = 64 * 1024;

export function openSource(file: string, options: { gzip: boolean; start?: number; counter: ByteCounter }): Readable {
  const raw = createReadStream(file, { start: options.start ?? 0, highWaterMark: CHUNK });
  options.counter.bytes = options.start ?? 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      options.counter.bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const done = () => undefined;
  if (!options.gzip) return pipeline(raw, count, done);
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const out = pipeline(raw, count, gunzip, done);
  return out;
}

/**
 * Refuses what is not a regular file (a FIFO, /dev/zero, a device, a socket) from its stat, before it is
 * opened: opening a FIFO would block until a writer comes, and a device never ends.
 */
export function refuseIrregular(file: string, info: Stats): void {
  if (info.isFile()) return;
  const what = info.isFIFO()
    ? 'a FIFO (named pipe)'
    : info.isCharacterDevice() || info.isBlockDevice()
      ? 'a device'
      : info.isSocket()
        ? 'a socket'
        : 'not a file';
  throw new InputError(`${file} is not a regular file (it is ${what}): choose a file of data, or a mongodump folder.`);
}

/** Turns low-level stream errors (gzip, I/O) into messages that name the file. */
export function describeStreamError(file: string, error: unknown): Error {
  if (error instanceof InputError) return error;
  const e = error as NodeJS.ErrnoException;
  if (
    e.code === 'Z_DATA_ERROR' ||
    e.code === 'Z_BUF_ERROR' ||
    /incorrect header check|unexpected end of file/i.test(e.message ?? '')
  ) {
    return new InputError(
      `${file}: the gzip data is damaged or truncated (${e.message}). Check the file is complete, or choose it without .gz if it is not compressed.`,
    );
  }
  if (e.code === 'ENOENT') return new InputError(`${file}: no such file.`);
  if (e.code === 'EACCES' || e.code === 'EPERM')
    return new InputError(
      `Cutover cannot read ${file}: permission denied. Check the file's permissions (it is read by the user running Cutover).`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Passes chunks through, refusing the first byte that is not UTF-8 with its line number
 * (counted from `firstLine`), so a binary or mis-encoded file stops with a clear message.
 */
export async function* checkedUtf8(chunks: AsyncIterable<Buffer>, file: string, firstLine = 1): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  let line = firstLine;
  for await (const piece of chunks) {
    const chunk = carry ? Buffer.concat([carry, piece]) : piece;
    const tail = incompleteTail(chunk);
    const whole = tail ? chunk.subarray(0, chunk.length - tail) : chunk;
    carry = tail ? Buffer.from(chunk.subarray(chunk.length - tail)) : undefined;
    const bad = firstInvalidUtf8(whole);
    if (bad !== -1) {
      const at = line + countNewlines(whole, bad);
      throw new InputError(
        `${file}, line ${at}: byte 0x${whole[bad].toString(16).padStart(2, '0')} is not valid UTF-8. Save the file as UTF-8 (it may be Latin-1 / Windows-1252, or not a text file at all).`,
      );
    }
    line += countNewlines(whole);
    if (whole.length) yield whole;
  }
  if (carry)
    throw new InputError(
      `${file}, line ${line}: the file ends in the middle of a UTF-8 character: it is truncated or not UTF-8.`,
    );
}
