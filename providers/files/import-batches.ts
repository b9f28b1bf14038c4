/**
 * An import's batches on their way to the target (import-engine.ts). While one batch is written and
 * checkpointed, the next is read and parsed: the file's parsing and the target's inserts overlap instead
 * of taking turns (issue 14: the import's thread was idle half the time, waiting on the target).
 *
 * At most one batch is in flight, so batches complete in file order. Bad rows are counted and logged
 * when their batch completes, merged in file order with the documents the target refused: the error
 * log's position and the counts stored with a checkpoint cover exactly the rows up to it, and a row read
 * again after an interruption is logged once.
 *
 * Checkpoints are leases, not one write per batch (issue 14: the checkpoint's round trip after every
 * batch was ~15% of a restore's time). A checkpoint says how far the acknowledged batches reached
 * (`index`, counts, log position) and `leaseEnd`: no record at or after it was ever sent. Before a batch
 * that reaches past the lease is sent, the lease is moved LEASE_BATCHES batches further on, with what is
 * acknowledged by then; at the end (or when stopped) the last acknowledged point is saved. After an
 * interruption, records from `index` up to `leaseEnd` may already be in the target: duplicates among
 * them are the earlier run's writes, not bad rows.
 */
import type { Document } from 'mongodb';
import { describeRefusal, type BatchWriter, type RefusedDocument } from '../shared/mongo-writer';
import type { ErrorLog } from './error-log';
import { InputError, type OnError } from './formats';
import type { ImportCheckpoint } from './import-checkpoints';
import type { SourceRecord } from './readers/record';

/** A batch is sent at this many bytes even when it holds fewer documents than the batch size. */
export const MAX_BATCH_BYTES = 12 * 1024 * 1024;

/** Bad rows held before their batch is sent even if it is not full (they are logged when it completes). */
const MAX_HELD_BAD_ROWS = 1000;

/** How many batches a lease covers: one checkpoint write per this many batches. */
export const LEASE_BATCHES = 8;

/** What a checkpoint stores of a batch's progress. */
export type BatchProgress = Pick<
  ImportCheckpoint,
  'index' | 'offset' | 'line' | 'docs' | 'bad' | 'skipped' | 'errorLog' | 'logBytes' | 'logRows' | 'leaseEnd'
>;

/** The counts the batches keep up to date (the source's result). */
export interface BatchCounts {
  docs: number;
  bad: number;
  skipped: number;
}

export interface ImportBatchesOptions {
  writer: BatchWriter;
  /** Filled by the writer's `refused` callback while a batch is sent. */
  refused: RefusedDocument[];
  log: ErrorLog;
  file: string;
  /** "db.coll", for messages. */
  where: string;
  onError: OnError;
  counts: BatchCounts;
  /** The checkpoint the import starts from (the one just begun, or the interrupted run's). */
  start: ImportCheckpoint;
  /** Resuming an interrupted run: records before the start's lease may already be in the target. */
  resuming: boolean;
  saveCheckpoint(progress: BatchProgress): Promise<void>;
  /** After each batch (throttled by the caller). */
  report(): void;
  /** After each batch is written and checkpointed: the records up to `index` (included) are no longer needed. */
  written?(index: number): void;
}

/**
 * Where a document waiting to be written is ("line 12"), to name it if refused: its label, or the
 * record itself when that builds its label on demand (a .bson record: no string per document). A
 * record holding a decoded document is not kept for this: its label is.
 */
type Label = string | SourceRecord;
const labelOf = (record: SourceRecord): Label => (record.labelOnDemand ? record : record.where);
const whereOf = (label: Label): string => (typeof label === 'string' ? label : label.where);

/** Documents of one kind waiting to be written, with where each is. */
class Pending<T> {
  readonly items: T[] = [];
  readonly labels: Label[] = [];
  bytes = 0;

  get length(): number {
    return this.items.length;
  }

  add(item: T, record: SourceRecord, bytes: number): void {
    this.items.push(item);
    this.labels.push(labelOf(record));
    this.bytes += bytes;
  }
}

/** The next batch: decoded documents, documents kept as BSON (from .bson files), and the bad rows among them. */
class PendingBatch {
  readonly docs = new Pending<Document>();
  readonly raws = new Pending<Uint8Array>();
  /** Bad rows, each with how many documents of the batch came before it. */
  readonly bad: Array<{ before: number; where: string; reason: string }> = [];
  /** The first and last records read into this batch (bad rows included): the checkpoint goes after the last. */
  first?: SourceRecord;
  last?: SourceRecord;

  get length(): number {
    return this.docs.length + this.raws.length;
  }

  get bytes(): number {
    return this.docs.bytes + this.raws.bytes;
  }
}

export class ImportBatches {
  private pending = new PendingBatch();
  private inflight?: Promise<void>;
  /** Records before this index may be the interrupted run's writes (see the top of this file). */
  private readonly oursBefore: number;
  /** A checkpoint written before leases carried no lease: only its next batch can have been sent. */
  private legacyFirstBatch: boolean;
  /** No record at or after this index was sent, as the saved checkpoint says. */
  private leaseEnd: number;
  /** How far the acknowledged batches reached, and whether that is saved. */
  private acked: BatchProgress;
  private ackedSaved = true;

  constructor(private readonly o: ImportBatchesOptions) {
    const { start } = o;
    this.leaseEnd = start.leaseEnd ?? start.index;
    this.oursBefore = o.resuming ? this.leaseEnd : 0;
    this.legacyFirstBatch = o.resuming && start.leaseEnd === undefined;
    this.acked = {
      index: start.index,
      offset: start.offset,
      line: start.line,
      docs: start.docs,
      bad: start.bad,
      skipped: start.skipped,
      errorLog: start.errorLog,
      logBytes: start.logBytes,
      logRows: start.logRows,
      leaseEnd: this.leaseEnd,
    };
  }

  private note(record: SourceRecord): void {
    this.pending.first ??= record;
    this.pending.last = record;
  }

  /** A decoded document, for drivers that cannot send BSON as it is (see addRaw). */
  addDoc(record: SourceRecord, doc: Document): void {
    this.pending.docs.add(doc, record, record.size || 1024);
    this.note(record);
  }

  /** A document as BSON, sent as it is (a .bson file's, or one the engine encoded once). */
  addRaw(record: SourceRecord, raw: Uint8Array): void {
    this.pending.raws.add(raw, record, record.size);
    this.note(record);
  }

  /** A bad row (imports that continue past them): counted and logged when its batch completes. */
  addBad(record: SourceRecord, reason: string): void {
    this.pending.bad.push({ before: this.pending.length, where: record.where, reason });
    this.note(record);
  }

  /** Whether the batch being gathered should be sent now. */
  get full(): boolean {
    const p = this.pending;
    return p.length >= this.o.writer.batchSize || p.bytes >= MAX_BATCH_BYTES || p.bad.length >= MAX_HELD_BAD_ROWS;
  }

  /**
   * Sends the batch gathered so far, once the one in flight completed (its failure is thrown here), and
   * returns without waiting for it: the next batch is gathered meanwhile.
   */
  async send(): Promise<void> {
    const batch = this.pending;
    this.pending = new PendingBatch();
    await this.settle();
    if (!batch.last) return;
    const inflight = this.complete(batch);
    inflight.catch(() => undefined); // surfaced by the next settle()
    this.inflight = inflight;
  }

  /** Sends what is gathered, waits until every batch is written, and saves the checkpoint after the last. */
  async drain(): Promise<void> {
    await this.send();
    await this.settle();
    await this.saveAcked();
  }

  /** Saves how far the acknowledged batches reached, if not saved yet (after a stop: what is gathered stays unsent). */
  async saveAcked(): Promise<void> {
    if (this.ackedSaved) return;
    await this.o.saveCheckpoint(this.acked);
    this.ackedSaved = true;
  }

  /** Waits for the batch in flight, if any (its failure is thrown). What is gathered stays unsent. */
  async settle(): Promise<void> {
    const inflight = this.inflight;
    this.inflight = undefined;
    await inflight;
  }

  private async complete(batch: PendingBatch): Promise<void> {
    const { writer, refused, log, file, counts } = this.o;
    const first = batch.first!;
    const last = batch.last!;
    const duplicatesAreOurs = first.index < this.oursBefore || this.legacyFirstBatch;
    if (batch.length) this.legacyFirstBatch = false;
    // The lease is moved on before a record past it is sent.
    if (batch.length && last.index >= this.leaseEnd) {
      this.leaseEnd = Math.max(this.leaseEnd, last.index + 1 + LEASE_BATCHES * writer.batchSize);
      this.acked.leaseEnd = this.leaseEnd;
      await this.o.saveCheckpoint(this.acked);
      this.ackedSaved = true;
    }
    // The rows to log, in file order: refused documents by their place, bad rows between them.
    const rows: Array<{ at: number; where: string; reason: string; refusal: boolean }> = batch.bad.map((b) => ({
      at: b.before - 0.5,
      where: b.where,
      reason: b.reason,
      refusal: false,
    }));
    const write = async (count: number, offset: number, labels: Label[], send: () => Promise<number>) => {
      refused.length = 0;
      const kept = await send();
      counts.docs += count - kept - refused.length;
      counts.skipped += kept;
      for (const r of refused)
        rows.push({
          at: offset + r.index,
          where: whereOf(labels[r.index]),
          reason: describeRefusal(r.id, { code: r.code, errmsg: r.message }),
          refusal: true,
        });
    };
    const { docs, raws } = batch;
    if (docs.length) await write(docs.length, 0, docs.labels, () => writer.write(docs.items, { duplicatesAreOurs }));
    if (raws.length)
      await write(raws.length, docs.length, raws.labels, () =>
        writer.writeRaw({ raws: raws.items, bytes: raws.bytes }, { duplicatesAreOurs }),
      );
    rows.sort((a, b) => a.at - b.at);
    let firstRefusal: string | undefined;
    for (const row of rows) {
      counts.bad++;
      log.add(file, row.where, row.reason);
      if (row.refusal) firstRefusal ??= `${file}, ${row.where}: ${row.reason}`;
    }
    // The checkpoint records how far the log reached: its lines must be in the file first.
    await log.flushed();
    const at = log.position();
    this.acked = {
      index: last.index + 1,
      offset: last.end,
      line: last.nextLine,
      docs: counts.docs,
      bad: counts.bad,
      skipped: counts.skipped,
      errorLog: log.file,
      logBytes: at.bytes,
      logRows: at.rows,
      leaseEnd: this.leaseEnd,
    };
    this.ackedSaved = false;
    this.o.report();
    this.o.written?.(last.index);
    if (firstRefusal && this.o.onError === 'stop') {
      // Saved before stopping: run again, the import carries on after this batch.
      await this.saveAcked();
      throw new InputError(
        `${firstRefusal}. Stopped there: ${counts.docs.toLocaleString('en-US')} ${counts.docs === 1 ? 'document is' : 'documents are'} in ${this.o.where} (the rest of its batch included). Run the import again to carry on after it, or choose to continue past bad rows (each is logged).`,
      );
    }
  }
}
