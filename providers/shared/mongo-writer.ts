/**
 * Writes batches of documents into a MongoDB-family collection the way a careful tool does: unordered,
 * with a conflict policy, retried with jittered back-off on transient errors, and an adaptive batch size
 * that halves when the server throttles (16500 / 429, as Cosmos DB returns it) and grows back after.
 * Shared by the copy engine and the files provider.
 */
import {
  BSON,
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Db,
  type Document,
} from 'mongodb';
import { MAX_ATTEMPTS, THROTTLE_CODES, TRANSIENT_CODES, backoff, isTransient, sleep } from './mongo-retry';
import { insertRaw, rawWritesSupported, replaceRaw, type WriteReply } from './raw-writes';
import { EXACT_BSON, idOf } from './raw-bson';

/** Documents already encoded as BSON (read raw from a source) and their total size. */
export interface RawBatch {
  raws: readonly Uint8Array[];
  bytes: number;
}

/** abort/drop: plain inserts (a duplicate _id is an error); skip: keep what the target has; overwrite: replace by _id. */
export type WritePolicy = 'abort' | 'drop' | 'skip' | 'overwrite';

export interface BatchWriterOptions {
  conflict: WritePolicy;
  /** Names the target in messages, e.g. "db.coll". */
  where: string;
  /** The largest batch (documents); the writer shrinks below it while the server throttles. */
  maxDocs: number;
  warn(message: string): void;
  /**
   * Hears about each document the target refuses for good (a duplicate _id with "abort"/"drop", a
   * document over the target's size limit…); the rest of the batch is written and the write succeeds.
   * Without it, the first such document fails the batch.
   */
  refused?(document: RefusedDocument): void;
}

/** A document the target would not store: its place in the batch, its _id and the server's reason. */
export interface RefusedDocument {
  index: number;
  id: unknown;
  code: number;
  message: string;
}

const MIN_BATCH = 10;
const CALM_BATCHES_BEFORE_GROWING = 10;

/** One document's failure in a batch: its index in the batch, the server's code and message. */
interface WriteFailure {
  index: number;
  code: number;
  errmsg?: string;
}

/**
 * A batch at most this large (in BSON bytes) goes as one `insert` command, which serializes each
 * document once; larger ones go through insertMany, which sizes and splits them (the command body is
 * limited to 16 MB).
 */
const SINGLE_COMMAND_BYTES = 12 * 1024 * 1024;

/** A raw batch at most this large goes as one message (a message may hold 48 MB); a larger one is decoded and split. */
const RAW_MESSAGE_BYTES = 40 * 1024 * 1024;

/** What one attempt at a batch needs: its size, a document's _id for messages, and how to send it. */
interface Attempt {
  count: number;
  idAt(index: number): unknown;
  send(): Promise<WriteFailure[]>;
}

export class BatchWriter {
  private size: number;
  private calm = 0;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly options: BatchWriterOptions,
  ) {
    this.size = options.maxDocs;
  }

  /** How many documents the next batch should hold. */
  get batchSize(): number {
    return this.size;
  }

  /**
   * Writes one batch; returns how many documents were kept as they were (policy "skip").
   * `duplicatesAreOurs`: the batch may already be (partly) in the target from an earlier, interrupted run.
   * `bytes`: the batch's BSON size when known (lets a small batch go as one command).
   */
  async write(
    batch: Document[],
    { duplicatesAreOurs = false, bytes }: { duplicatesAreOurs?: boolean; bytes?: number } = {},
  ): Promise<number> {
    return this.attempt(
      { count: batch.length, idAt: (i) => batch[i]?._id, send: () => this.send(batch, bytes) },
      duplicatesAreOurs,
    );
  }

  /**
   * Writes documents that are already BSON, as they are: never decoded, so byte-exact and cheap (policy
   * "overwrite" replaces each by _id, the others insert). Drivers without raw writes decode them first.
   */
  async writeRaw(
    batch: RawBatch,
    { duplicatesAreOurs = false }: { duplicatesAreOurs?: boolean } = {},
  ): Promise<number> {
    const { raws, bytes } = batch;
    if (!rawWritesSupported || bytes > RAW_MESSAGE_BYTES) {
      return this.write(
        raws.map((raw) => BSON.deserialize(raw, EXACT_BSON)),
        { duplicatesAreOurs, bytes },
      );
    }
    const write = this.options.conflict === 'overwrite' ? replaceRaw : insertRaw;
    const send = async () => failuresOf(await write(this.db, this.name, raws, { bypassDocumentValidation: true }));
    return this.attempt(
      { count: raws.length, idAt: (i) => (raws[i] ? idOf(raws[i]) : undefined), send },
      duplicatesAreOurs,
    );
  }

  private async attempt(batch: Attempt, duplicatesAreOurs: boolean): Promise<number> {
    const { conflict, where, refused } = this.options;
    const reported = new Set<number>();
    for (let attempt = 1; ; attempt++) {
      let failures: WriteFailure[] = [];
      let failure: unknown;
      try {
        failures = await batch.send();
      } catch (error) {
        failures =
          error instanceof MongoBulkWriteError
            ? Array.isArray(error.writeErrors)
              ? error.writeErrors
              : [error.writeErrors]
            : [];
        if (failures.length === 0) failure = error;
      }
      let throttled: boolean;
      if (failure === undefined) {
        // With "skip", duplicates are the target's own documents; after a retry or a crash they are our earlier writes.
        const duplicatesOk = conflict === 'skip' || attempt > 1 || duplicatesAreOurs;
        let problems = failures.filter((e) => !(e.code === 11000 && duplicatesOk) && !reported.has(e.index));
        const fatal = problems.filter((e) => !TRANSIENT_CODES.has(e.code));
        if (fatal.length > 0 && !refused)
          throw new Error(`${where}: ${describeRefusal(batch.idAt(fatal[0].index), fatal[0])}`);
        for (const e of fatal) {
          reported.add(e.index);
          refused?.({ index: e.index, id: batch.idAt(e.index), code: e.code, message: e.errmsg ?? `code ${e.code}` });
        }
        problems = problems.filter((e) => TRANSIENT_CODES.has(e.code));
        if (problems.length === 0) {
          this.settle();
          return conflict === 'skip' && attempt === 1 && !duplicatesAreOurs
            ? failures.filter((e) => e.code === 11000).length
            : 0;
        }
        throttled = problems.some((e) => THROTTLE_CODES.has(e.code));
        failure = new Error(problems[0].errmsg ?? `code ${problems[0].code}`);
      } else {
        if (!isTransient(failure))
          throw new Error(
            `${where}: writing a batch of ${batch.count} documents failed: ${(failure as Error).message}`,
          );
        throttled = THROTTLE_CODES.has(Number((failure as { code?: number }).code));
      }
      const message = (failure as Error).message;
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`${where}: the target kept failing after ${MAX_ATTEMPTS} attempts: ${message}`);
      if (throttled) {
        this.size = Math.max(MIN_BATCH, Math.floor(this.size / 2));
        this.calm = 0;
      }
      const delay = backoff(attempt);
      this.options.warn(
        `${where}: ${throttled ? 'the target is throttling' : 'transient error'} (${message}); retrying (attempt ${attempt + 1} of ${MAX_ATTEMPTS}) in ${Math.round(delay)} ms${throttled ? `, next batches of ${this.size}` : ''}.`,
      );
      await sleep(delay);
    }
  }

  /** Sends the batch; returns the documents the server refused (or throws for the whole batch). */
  private async send(batch: Document[], bytes: number | undefined): Promise<WriteFailure[]> {
    const collection = this.db.collection(this.name);
    if (this.options.conflict === 'overwrite') {
      const ops: AnyBulkWriteOperation[] = batch.map((doc) => ({
        replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
      }));
      await collection.bulkWrite(ops, { ordered: false, bypassDocumentValidation: true });
      return [];
    }
    if (bytes === undefined || bytes > SINGLE_COMMAND_BYTES) {
      await collection.insertMany(batch, { ordered: false, bypassDocumentValidation: true });
      return [];
    }
    return failuresOf(
      await this.db.command({ insert: this.name, documents: batch, ordered: false, bypassDocumentValidation: true }),
    );
  }

  private settle(): void {
    if (++this.calm >= CALM_BATCHES_BEFORE_GROWING && this.size < this.options.maxDocs) {
      this.size = Math.min(this.options.maxDocs, Math.ceil(this.size * 1.25));
      this.calm = 0;
    }
  }
}

/** The documents an insert's or update's reply says were refused; a write-concern error fails the whole batch. */
function failuresOf(reply: WriteReply | Document): WriteFailure[] {
  if (reply.writeConcernError) throw new MongoServerError(reply.writeConcernError as Document);
  return ((reply.writeErrors ?? []) as WriteFailure[]).map(({ index, code, errmsg }) => ({ index, code, errmsg }));
}

/** "document _id "x" was refused by the target (code 11000): E11000 duplicate key…" */
export function describeRefusal(id: unknown, { code, errmsg }: { code: number; errmsg?: string }): string {
  return `document _id ${showId(id)} was refused by the target (code ${code}): ${errmsg ?? 'no reason given'}`;
}

export function showId(id: unknown): string {
  try {
    return BSON.EJSON.stringify(id as Document, { relaxed: true });
  } catch {
    return String(id);
  }
}
