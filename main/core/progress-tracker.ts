/**
 * Turns a provider's progress calls into job snapshots: absolute counts, per-item rows,
 * bounded warning/error lists, and rate + ETA from a sliding window of samples.
 */
import type { ProgressCounts, ProgressItem } from '../../providers/api/index';

const MAX_MESSAGES = 50;
const RATE_WINDOW_MS = 5_000;

export interface ProgressState {
  phases: string[];
  phase?: string;
  docs: number;
  totalDocs?: number;
  bytes: number;
  totalBytes?: number;
  docsPerSecond: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  items: ProgressItem[];
  warnings: string[];
  errors: string[];
  droppedMessages: number;
}

export class ProgressTracker {
  private phases: string[] = [];
  private phase?: string;
  private counts: Required<Pick<ProgressCounts, 'docs' | 'bytes'>> & ProgressCounts = { docs: 0, bytes: 0 };
  private readonly items = new Map<string, ProgressItem>();
  private readonly warnings: string[] = [];
  private readonly errors: string[] = [];
  private dropped = 0;
  private samples: Array<{ at: number; docs: number; bytes: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  setPhases(phases: string[]): void {
    this.phases = [...phases];
  }

  setPhase(name: string): void {
    this.phase = name;
    if (!this.phases.includes(name)) this.phases.push(name);
  }

  update(counts: ProgressCounts): void {
    this.counts = { ...this.counts, ...stripUndefined(counts) };
    this.sample();
  }

  item(item: ProgressItem): void {
    this.items.set(item.id, { ...this.items.get(item.id), ...stripUndefined(item) } as ProgressItem);
  }

  /** Keeps the first messages in memory; returns false when the message was dropped (it still goes to the log). */
  warn(message: string): boolean {
    return this.keep(this.warnings, message);
  }

  error(message: string): boolean {
    return this.keep(this.errors, message);
  }

  snapshot(): ProgressState {
    const { docsPerSecond, bytesPerSecond } = this.rates();
    return {
      phases: [...this.phases],
      phase: this.phase,
      docs: this.counts.docs,
      totalDocs: this.counts.totalDocs,
      bytes: this.counts.bytes,
      totalBytes: this.counts.totalBytes,
      docsPerSecond,
      bytesPerSecond,
      etaSeconds: this.eta(docsPerSecond, bytesPerSecond),
      items: [...this.items.values()],
      warnings: [...this.warnings],
      errors: [...this.errors],
      droppedMessages: this.dropped,
    };
  }

  private keep(list: string[], message: string): boolean {
    if (list.length >= MAX_MESSAGES) {
      this.dropped++;
      return false;
    }
    list.push(message);
    return true;
  }

  private sample(): void {
    const at = this.now();
    this.samples.push({ at, docs: this.counts.docs, bytes: this.counts.bytes });
    while (this.samples.length > 2 && at - this.samples[0].at > RATE_WINDOW_MS) this.samples.shift();
  }

  private rates(): { docsPerSecond: number; bytesPerSecond: number } {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 200) return { docsPerSecond: 0, bytesPerSecond: 0 };
    const seconds = (last.at - first.at) / 1000;
    return {
      docsPerSecond: Math.max(0, (last.docs - first.docs) / seconds),
      bytesPerSecond: Math.max(0, (last.bytes - first.bytes) / seconds),
    };
  }

  /** ETA from the byte rate when byte totals are known (documents vary in size), else from the document rate. */
  private eta(docsPerSecond: number, bytesPerSecond: number): number | undefined {
    const { totalBytes, totalDocs, bytes, docs } = this.counts;
    if (totalBytes && bytesPerSecond > 0) return Math.max(0, (totalBytes - bytes) / bytesPerSecond);
    if (totalDocs && docsPerSecond > 0) return Math.max(0, (totalDocs - docs) / docsPerSecond);
    return undefined;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
