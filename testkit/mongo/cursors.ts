/**
 * Server-side cursors: batching by count and by the 16 MB reply budget, idle timeout,
 * and cleanup when the owning logical session ends.
 */
import { CommandError } from './errors.js';
import { MAX_BSON_SIZE } from './wire.js';

export const DEFAULT_FIRST_BATCH = 101;
export const CURSOR_IDLE_MS = 10 * 60 * 1000;
/** Replies stay below 16 MB of documents, as mongod's do. */
const MAX_BATCH_BYTES = MAX_BSON_SIZE - 64 * 1024;
/**
 * getMore without an explicit batchSize stops after ~1 MB of documents. mongod allows up to 16 MB,
 * but smaller batches are legal and measurably faster for the driver (less GC pressure).
 */
const DEFAULT_GETMORE_BYTES = 1024 * 1024;

export class ServerCursor {
  lastUsed = Date.now();
  private pending: Buffer | undefined;
  private done = false;
  returned = 0;

  constructor(
    readonly id: bigint,
    readonly ns: string,
    private readonly source: Iterator<Buffer>,
    readonly lsid: string | undefined,
    private readonly limit: number,
  ) {}

  /** Pulls up to `count` documents within the byte budget; `exhausted` when nothing remains. */
  nextBatch(count: number, byteBudget = MAX_BATCH_BYTES): { docs: Buffer[]; exhausted: boolean } {
    this.lastUsed = Date.now();
    const docs: Buffer[] = [];
    let bytes = 0;
    const max = this.limit > 0 ? Math.min(count, this.limit - this.returned) : count;
    while (docs.length < max) {
      const next = this.take();
      if (next === undefined) break;
      if (docs.length > 0 && bytes + next.length > byteBudget) {
        this.pending = next;
        break;
      }
      docs.push(next);
      bytes += next.length;
    }
    this.returned += docs.length;
    if (this.limit > 0 && this.returned >= this.limit) this.done = true;
    if (!this.done && this.pending === undefined) {
      const peek = this.take();
      if (peek === undefined) this.done = true;
      else this.pending = peek;
    }
    return { docs, exhausted: this.done && this.pending === undefined };
  }

  private take(): Buffer | undefined {
    if (this.pending !== undefined) {
      const p = this.pending;
      this.pending = undefined;
      return p;
    }
    if (this.done) return undefined;
    const r = this.source.next();
    if (r.done) {
      this.done = true;
      return undefined;
    }
    return r.value;
  }

  close(): void {
    this.done = true;
    this.pending = undefined;
    this.source.return?.();
  }
}

export class CursorManager {
  private readonly cursors = new Map<bigint, ServerCursor>();
  /** cursors killed because their namespace went away: id -> reason (bounded) */
  private readonly killedReasons = new Map<bigint, string>();
  private nextId = BigInt(Math.floor(Math.random() * 2 ** 40)) + 1n;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly idleMs = CURSOR_IDLE_MS) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(1000, idleMs / 4)));
    this.sweeper.unref();
  }

  /**
   * Creates a cursor and returns its first batch. When the source is exhausted within the first
   * batch (or singleBatch), no cursor is registered and id 0 is returned.
   */
  open(
    ns: string,
    source: Iterator<Buffer>,
    opts: { batchSize?: number; limit?: number; singleBatch?: boolean; lsid?: string },
  ): { id: bigint; docs: Buffer[] } {
    const id = this.nextId++;
    const cursor = new ServerCursor(id, ns, source, opts.lsid, opts.limit ?? 0);
    const { docs, exhausted } = cursor.nextBatch(opts.batchSize ?? DEFAULT_FIRST_BATCH);
    if (exhausted || opts.singleBatch) {
      cursor.close();
      return { id: 0n, docs };
    }
    this.cursors.set(id, cursor);
    return { id, docs };
  }

  getMore(id: bigint, ns: string, batchSize: number | undefined): { id: bigint; docs: Buffer[] } {
    const cursor = this.cursors.get(id);
    if (!cursor) {
      const reason = this.killedReasons.get(id);
      if (reason) throw new CommandError(175, `Executor error during getMore :: caused by :: ${reason}`);
      throw new CommandError(43, `cursor id ${id} not found`);
    }
    if (cursor.ns !== ns) {
      throw new CommandError(
        13,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    let batch: { docs: Buffer[]; exhausted: boolean };
    try {
      batch =
        batchSize && batchSize > 0
          ? cursor.nextBatch(batchSize)
          : cursor.nextBatch(Number.MAX_SAFE_INTEGER, DEFAULT_GETMORE_BYTES);
    } catch (e) {
      this.kill(id);
      throw e;
    }
    const { docs, exhausted } = batch;
    if (exhausted) {
      this.cursors.delete(id);
      cursor.close();
      return { id: 0n, docs };
    }
    return { id, docs };
  }

  has(id: bigint): boolean {
    return this.cursors.has(id);
  }

  kill(id: bigint): boolean {
    const c = this.cursors.get(id);
    if (!c) return false;
    c.close();
    this.cursors.delete(id);
    return true;
  }

  /** Kills every cursor on `ns` (or on any collection of database `db`), as mongod does on drop. */
  killNamespace(match: { ns?: string; db?: string }, reason: string): void {
    for (const [id, c] of this.cursors) {
      const db = c.ns.slice(0, c.ns.indexOf('.'));
      if ((match.ns !== undefined && c.ns === match.ns) || (match.db !== undefined && db === match.db)) {
        this.kill(id);
        this.killedReasons.set(id, reason);
        if (this.killedReasons.size > 1000) this.killedReasons.delete(this.killedReasons.keys().next().value as bigint);
      }
    }
  }

  killSession(lsid: string): void {
    for (const [id, c] of this.cursors) if (c.lsid === lsid) this.kill(id);
  }

  killAll(): void {
    for (const id of [...this.cursors.keys()]) this.kill(id);
  }

  get size(): number {
    return this.cursors.size;
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed > this.idleMs) this.kill(id);
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.killAll();
  }
}
