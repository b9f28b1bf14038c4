/**
 * The error log of an import: one line per bad row (file, line / index, reason), written as they come,
 * created only when there is something to say. Also keeps the first few for the result screen.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

const SHOWN = 20;

export class ErrorLog {
  private stream: WriteStream | undefined;
  count = 0;
  readonly first: string[] = [];

  constructor(readonly file: string, private readonly heading: string) {}

  add(source: string, where: string, reason: string): void {
    const line = `${source}, ${where}: ${reason.replace(/\s+/g, ' ')}`;
    if (this.count++ < SHOWN) this.first.push(line);
    if (!this.stream) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.stream = createWriteStream(this.file, { flags: 'a' });
      this.stream.write(`# ${this.heading}\n`);
    }
    this.stream.write(`${line}\n`);
  }

  get used(): boolean {
    return this.stream !== undefined;
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
}
