/**
 * Progress on stderr for the CLI: a redrawn bar on a terminal, a plain line every few seconds otherwise.
 */
import type { JobSnapshot } from '../../preload/contract';
import { formatBytes as bytes, formatCount as count } from '../../providers/api/format';

const eta = (s?: number) =>
  s === undefined ? '' : s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

export class ProgressLine {
  private lastPlain = 0;
  private lastPhase?: string;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(snapshot: JobSnapshot): void {
    const fraction = snapshot.totalDocs ? Math.min(1, snapshot.docs / snapshot.totalDocs) : undefined;
    const parts = [
      snapshot.phase ?? '',
      `${count(snapshot.docs)}${snapshot.totalDocs ? ` / ${count(snapshot.totalDocs)}` : ''} docs`,
      bytes(snapshot.bytes),
      snapshot.docsPerSecond ? `${count(snapshot.docsPerSecond)} docs/s` : '',
      snapshot.etaSeconds !== undefined && snapshot.state === 'running' ? `ETA ${eta(snapshot.etaSeconds)}` : '',
      snapshot.state === 'paused' ? 'paused' : '',
    ].filter(Boolean);
    if (this.out.isTTY) {
      const width = 24;
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      this.out.write(`\r\x1b[2K${bar}${parts.join(' · ')}`);
      this.drawn = true;
    } else if (snapshot.phase !== this.lastPhase || Date.now() - this.lastPlain > 5_000) {
      this.out.write(`${parts.join(' · ')}\n`);
      this.lastPlain = Date.now();
    }
    this.lastPhase = snapshot.phase;
  }

  /** Writes a message on its own line (warnings), without breaking the bar. */
  message(text: string): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
