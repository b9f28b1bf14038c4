/**
 * The error log of an import: one line per bad row (file, line / index, reason), written as they come,
 * created only when there is something to say. Also keeps the first few for the result screen. A log
 * that cannot be written (a full disk) does not stop the import: `failure` says why, and the first rows
 * are still in the result.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

const SHOWN = 20;

export class ErrorLog {
  private stream: WriteStream | undefined;
  count = 0;
  readonly first: string[] = [];
  /** Why the log could not be written, if it could not. */
  failure?: Error;

  constructor(readonly file: string, private readonly heading: string) {}

  add(source: string, where: string, reason: string): void {
    const line = `${source}, ${where}: ${reason.replace(/\s+/g, ' ')}`;
    if (this.count++ < SHOWN) this.first.push(line);
    if (this.failure) return;
    if (!this.stream) {
      try {
        mkdirSync(path.dirname(this.file), { recursive: true });
      } catch (error) {
        this.failure = error as Error;
        return;
      }
      // Rejected rows are the person's data: readable by its owner only.
      this.stream = createWriteStream(this.file, { flags: 'a', mode: 0o600 });
      this.stream.on('error', (error) => (this.failure ??= error));
      this.stream.write(`# ${this.heading}\n`);
    }
    this.stream.write(`${line}\n`);
  }

  get used(): boolean {
    return this.stream !== undefined && !this.failure;
  }

  /** Waits while the log's buffered lines are written (so a flood of bad rows does not fill memory). */
  async drained(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.failure || !stream.writableNeedDrain) return;
    await Promise.race([once(stream, 'drain'), once(stream, 'close')]).catch(() => undefined);
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
