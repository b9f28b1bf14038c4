/**
 * Worker thread entry (workers.config.ts) that reads one large connection file off the main thread: the
 * whole-file JSON.parse / EJSON.parse and the per-entry checks (zod, connection-string parsing, secrets
 * merged back) are the work that held the main loop for hundreds of milliseconds.
 *
 * It is given the format and passphrase (workerData) and the file's content in chunks (text or bytes,
 * then `end`); it has no access to the saved connections or anything else of the core. It answers with
 * plain data: entries in small batches, then `done` with the file-level errors, or `failed` (a
 * ConnectionFileError's message, which the intake prefixes with the file's name). The next batch is sent
 * when the main side asks for `more`: messages waiting on a port are all received in one task, so
 * batches sent at once would hold the main loop as long as one big message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFileBytes, parseConnectionText } from './parse-content';
import { ConnectionFileError, type ConnectionFileFormat, type FileEntry, type ParsedConnectionFile } from './types';

export interface ConnectionFilesJob {
  format: ConnectionFileFormat;
  passphrase?: string;
}

/** Main side to worker: the content, chunk by chunk, then its end. */
export type ConnectionFilesInput = { type: 'chunk'; data: string | Uint8Array } | { type: 'end' } | { type: 'more' };

/** Worker to main side. */
export type ConnectionFilesMessage =
  | { type: 'entries'; entries: FileEntry[] }
  | { type: 'done'; format: ParsedConnectionFile['format']; errors: string[]; needsPassphrase?: boolean }
  | { type: 'failed'; message: string; fileError: boolean };

/** Entries per message: receiving (deserialising) one batch takes the main thread well under a millisecond. */
export const ENTRIES_PER_MESSAGE = 250;

if (!parentPort) throw new Error('connection-files-worker must run in a worker thread');
const port = parentPort;
const job = workerData as ConnectionFilesJob;
const post = (message: ConnectionFilesMessage) => port.postMessage(message);

const chunks: Array<string | Uint8Array> = [];
let asked: (() => void) | undefined;
port.on('message', (input: ConnectionFilesInput) => {
  if (input.type === 'chunk') chunks.push(input.data);
  else if (input.type === 'more') asked?.();
  else void read();
});

async function read(): Promise<void> {
  try {
    const text = chunks.every((c) => typeof c === 'string')
      ? chunks.join('')
      : decodeFileBytes(Buffer.concat(chunks as Uint8Array[]));
    chunks.length = 0;
    const parsed = await parseConnectionText(job.format, text, job.passphrase);
    for (let at = 0; at < parsed.entries.length; at += ENTRIES_PER_MESSAGE) {
      const more = new Promise<void>((resolve) => (asked = resolve));
      post({ type: 'entries', entries: parsed.entries.slice(at, at + ENTRIES_PER_MESSAGE) });
      await more;
    }
    post({
      type: 'done',
      format: parsed.format,
      errors: parsed.errors,
      ...(parsed.needsPassphrase ? { needsPassphrase: true } : {}),
    });
  } catch (error) {
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      fileError: error instanceof ConnectionFileError,
    });
  } finally {
    port.close();
  }
}
