/**
 * The error log of an import: one line per bad row (file, line / index, reason), written as they come,
 * created only when there is something to say. One log per import, carried across resumes: the import
 * checkpoint stores its path and how far it had reached (`position()`, once `flushed()`), and a resume
 * cuts it back there (`resume()`), so a row read again after an interruption is logged once.
 *
 * The log is capped (100,000 rows or 100 MB by default): past that, bad rows are counted only, the log
 * says so on its last line and `capped` tells the result. Also keeps the first few lines for the result
 * screen. A log that cannot be written (a full disk) does not stop the import: `failure` says why, and
 * the first rows are still in the result.
 */
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  truncateSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

const SHOWN = 20;

export interface ErrorLogLimits {
  rows: number;
  bytes: number;
}

export const ERROR_LOG_LIMITS: ErrorLogLimits = { rows: 100_000, bytes: 100 * 1024 * 1024 };

/** How far the log had reached: stored with the import checkpoint. */
export interface ErrorLogPosition {
  /** Bytes of the file (heading included). */
  bytes: number;
  /** Bad rows written to it. */
  rows: number;
}

export class ErrorLog {
  private stream: WriteStream | undefined;
  /** Bytes and rows in the file (written or being written). */
  private bytes = 0;
  private rows = 0;
  /** Bad rows added in this run (logged or counted only). */
  count = 0;
  readonly first: string[] = [];
  /** Why the log could not be written, if it could not. */
  failure?: Error;
  /** True once the cap was reached: later rows were counted, not logged. */
  capped = false;

  constructor(
    readonly file: string,
    private readonly heading: string,
    private readonly limits: ErrorLogLimits = ERROR_LOG_LIMITS,
  ) {}

  /**
   * Carries on the log of an interrupted import: cuts it back to where its checkpoint was (lines of rows
   * after it are written again when those rows are read again) and shows its first lines.
   */
  resume(at: ErrorLogPosition): void {
    if (!existsSync(this.file)) return;
    try {
      // Only a file that is one of Cutover's error logs is cut back.
      const head = headOf(this.file, 64 * 1024);
      if (!head.startsWith('# Cutover import')) throw new Error(`${this.file} is not a Cutover error log`);
      const size = statSync(this.file).size;
      if (size > at.bytes) truncateSync(this.file, at.bytes);
      this.bytes = Math.min(size, at.bytes);
      this.rows = at.rows;
      this.capped = at.rows >= this.limits.rows || at.bytes >= this.limits.bytes;
      const kept = Buffer.from(head).subarray(0, this.bytes).toString('utf8').split('\n').slice(0, -1); // whole lines before the cut
      for (const line of kept) if (line && !line.startsWith('#') && this.first.length < SHOWN) this.first.push(line);
    } catch (error) {
      this.failure = error as Error;
    }
  }

  add(source: string, where: string, reason: string): void {
    const line = `${source}, ${where}: ${reason.replace(/\s+/g, ' ')}`;
    this.count++;
    if (this.first.length < SHOWN) this.first.push(line);
    if (this.failure || this.capped) return;
    if (!this.open()) return;
    if (this.rows >= this.limits.rows || this.bytes + Buffer.byteLength(line) + 1 > this.limits.bytes) {
      this.capped = true;
      this.write(
        `# The log stops here: at most ${this.limits.rows.toLocaleString('en-US')} rows or ${Math.round(this.limits.bytes / 1048576)} MB are logged; later bad rows were counted, not logged.\n`,
      );
      return;
    }
    this.rows++;
    this.write(`${line}\n`);
  }

  /** Rows in the log, including those of earlier runs of the same import. */
  get logged(): number {
    return this.rows;
  }

  /** True when the file holds bad rows (of this run or an earlier one) and could be written. */
  get used(): boolean {
    return this.rows > 0 && !this.failure;
  }

  /** Where the log is, to store with the checkpoint (call after `flushed()`). */
  position(): ErrorLogPosition {
    return { bytes: this.bytes, rows: this.rows };
  }

  private open(): boolean {
    if (this.stream) return true;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
    } catch (error) {
      this.failure = error as Error;
      return false;
    }
    const fresh = !existsSync(this.file) || statSync(this.file, { throwIfNoEntry: false })?.size === 0;
    // Rejected rows are the person's data: readable by its owner only.
    this.stream = createWriteStream(this.file, { flags: 'a', mode: 0o600 });
    this.stream.on('error', (error) => (this.failure ??= error));
    if (fresh) {
      this.bytes = 0;
      this.write(`# ${this.heading}\n`);
    }
    return true;
  }

  private write(text: string): void {
    this.bytes += Buffer.byteLength(text);
    this.stream!.write(text);
  }

  /** Waits while the log's buffered lines are written (so a flood of bad rows does not fill memory). */
  async drained(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.failure || !stream.writableNeedDrain) return;
    await settledFirst(stream, ['drain', 'close', 'error']);
  }

  /** Waits until every line added so far is in the file (before a checkpoint records `position()`). */
  async flushed(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.failure || stream.destroyed || stream.writableLength === 0) return;
    await new Promise<void>((resolve) => stream.write('', () => resolve()));
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream || stream.destroyed) return;
    await new Promise<void>((resolve) => {
      stream.once('close', resolve);
      stream.end();
    });
  }
}

/** The first bytes of a file, as text (the last line may be cut). */
function headOf(file: string, bytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** Resolves at the first of these events and removes the listeners of the others (none is left behind). */
async function settledFirst(stream: WriteStream, events: string[]): Promise<void> {
  const controller = new AbortController();
  try {
    // Each loser rejects when aborted: caught here, as an 'error' event is (`failure` has it).
    await Promise.race(events.map((name) => once(stream, name, { signal: controller.signal }).catch(() => undefined)));
  } finally {
    controller.abort();
  }
}
