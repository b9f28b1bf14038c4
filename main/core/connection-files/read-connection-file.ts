/**
 * Reads a connection file's content (text from a drop, or bytes from disk) in the format the intake
 * classified. Small files are read in the main thread (the readers hand the loop back every few
 * milliseconds); larger ones in a worker thread (connection-files-worker.ts, started like every other
 * worker through providers/shared/worker.ts), so that parsing a whole 10 MB JSON file, decoding it, and
 * checking its entries never hold the main loop. The content is sent in chunks and the entries come back
 * in batches, each a short task for the main thread; errors keep naming the line or entry.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { resolveWorkerModule, spawnWorker } from '../../../providers/shared/worker';
import type { ConnectionFilesInput, ConnectionFilesJob, ConnectionFilesMessage } from './connection-files-worker';
import { decodeFileBytes, parseConnectionText } from './parse-content';
import { ConnectionFileError, type ConnectionFileFormat, type FileEntry, type ParsedConnectionFile } from './types';

/** Content up to this many characters (or bytes) is read in the main thread: parsing it takes a few milliseconds. */
export const IN_THREAD_MAX = 256 * 1024;

/** Content is handed to the worker in pieces of this size: copying one takes the main thread a millisecond or two. */
const CHUNK = 256 * 1024;

export interface ReadOptions {
  passphrase?: string;
  /** Where to read: by default, by size (see IN_THREAD_MAX). Tests choose. */
  inWorker?: boolean;
}

export async function readConnectionFile(
  format: ConnectionFileFormat,
  content: string | Uint8Array,
  options: ReadOptions = {},
): Promise<ParsedConnectionFile> {
  if (!(options.inWorker ?? content.length > IN_THREAD_MAX)) {
    return parseConnectionText(
      format,
      typeof content === 'string' ? content : decodeFileBytes(content),
      options.passphrase,
    );
  }
  const job: ConnectionFilesJob = {
    format,
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
  };
  const worker = spawnWorker(resolveWorkerModule(import.meta.url, 'connection-files-worker'), job);
  const entries: FileEntry[] = [];
  let settled = false;
  const done = new Promise<ParsedConnectionFile>((resolve, reject) => {
    const finish = (end: () => void) => {
      if (settled) return;
      settled = true;
      end();
      void worker.terminate();
    };
    worker.on('message', (message: ConnectionFilesMessage) => {
      if (message.type === 'entries') {
        for (const entry of message.entries) entries.push(entry);
        // The next batch after this turn of the loop, so other work runs between batches.
        setImmediate(() => settled || worker.postMessage({ type: 'more' } satisfies ConnectionFilesInput));
      } else if (message.type === 'done')
        finish(() =>
          resolve({
            format: message.format,
            entries,
            errors: message.errors,
            ...(message.needsPassphrase ? { needsPassphrase: true } : {}),
          }),
        );
      else
        finish(() => reject(message.fileError ? new ConnectionFileError(message.message) : new Error(message.message)));
    });
    // Named as the file's problem (the intake prefixes the file's name), though the cause is Cutover's.
    worker.on('error', (error) =>
      finish(() => reject(new ConnectionFileError(`it could not be read (the reader stopped: ${error.message})`))),
    );
    worker.on('exit', (code) =>
      finish(() => reject(new ConnectionFileError(`it could not be read (the reader stopped, exit code ${code})`))),
    );
  });
  done.catch(() => undefined); // Observed below; a failure while the content is still being sent must not go unhandled.
  const send = (input: ConnectionFilesInput, transfer?: ArrayBuffer[]) => worker.postMessage(input, transfer);
  for (let at = 0; at < content.length && !settled; at += CHUNK) {
    if (typeof content === 'string') send({ type: 'chunk', data: content.slice(at, at + CHUNK) });
    else {
      // A copy of just this piece, moved rather than copied again (a view would carry its whole buffer).
      const piece = Uint8Array.prototype.slice.call(content, at, at + CHUNK);
      send({ type: 'chunk', data: piece }, [piece.buffer as ArrayBuffer]);
    }
    await nextTurn();
  }
  if (!settled) send({ type: 'end' });
  return done;
}
