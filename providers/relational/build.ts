/**
 * Builds a collection's documents by merging its sorted streams (see query-plan.ts): for each row of the
 * root stream, the rows of each array embedding whose container key equals the row's key are taken from
 * that embedding's stream (child rows whose container is missing, e.g. in a MySQL per-stream snapshot, are
 * skipped and counted), recursively, so an array inside a document inside an array needs nothing special.
 * Memory holds one batch per stream and the documents of the batch being built.
 *
 * `_id`: the primary key's value (one column) or a sub-document of its columns; for a table without a
 * primary key, "<md5 of the row's content>-<occurrence>" (equal rows come together, so the n-th copy of a
 * row always gets the same _id and a re-run is idempotent).
 */
import { BSON, type Document } from 'mongodb';
import type { EmbedPlan, FieldPlan, NodePlan } from './mapping';
import type { StreamPlan } from './query-plan';
import type { Dialect } from './schema';
import type { Row, RowStream } from './source';
import { castValue, converterFor, type ConversionNotes, type Converter } from './types';
import { showId } from '../shared/mongo-writer';

/** MongoDB's document size limit. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * A stream's rows one at a time, with the next batch already being fetched while this one is used
 * (so the source's round trips overlap with building documents; memory holds two batches per stream).
 */
class PeekStream {
  private rows: Row[] = [];
  private pos = 0;
  private ended = false;
  private ahead: Promise<Row[] | null> | undefined;
  constructor(private readonly source: RowStream) {}
  /** The current row if it is already fetched (no await), `undefined` if a fetch is needed, `null` at the end. */
  current(): Row | undefined | null {
    if (this.pos < this.rows.length) return this.rows[this.pos];
    return this.ended ? null : undefined;
  }
  async load(): Promise<Row | null> {
    while (this.pos >= this.rows.length) {
      if (this.ended) return null;
      const rows = await (this.ahead ?? this.source.next());
      this.ahead = undefined;
      if (!rows) {
        this.ended = true;
        return null;
      }
      this.rows = rows;
      this.pos = 0;
      const ahead = this.source.next();
      ahead.catch(() => undefined); // awaited by the next load; a failure surfaces there
      this.ahead = ahead;
    }
    return this.rows[this.pos];
  }
  advance(): void {
    this.pos++;
  }
  async close(): Promise<void> {
    await this.ahead?.catch(() => undefined);
    await this.source.close();
  }
}

export interface BuiltBatch {
  raws: Uint8Array[];
  bytes: number;
  /** The root key of the batch's last row (undefined for tables without a primary key). */
  lastKey?: Row;
  /** Rows read per table for this batch. */
  rows: Map<string, number>;
  /** The root key of every document (for sampling), in order. */
  keys: Row[];
}

export interface BuilderOptions {
  dialect: Dialect;
  collection: string;
  idFields: FieldPlan[];
  notes: ConversionNotes;
  /** Opens a stream's rows. */
  open(stream: StreamPlan): Promise<RowStream>;
}

interface FieldCodec {
  at: number;
  name: string;
  nulls: 'null' | 'omit';
  convert: Converter;
}

export class DocumentBuilder {
  private readonly streams = new Map<StreamPlan, PeekStream>();
  private readonly codecs = new Map<NodePlan, FieldCodec[]>();
  private readonly idCodecs: FieldCodec[];
  private where = '';
  private lastHash: unknown;
  private occurrence = 0;
  /** Child rows whose container row was not found (inconsistent snapshots, broken foreign keys). */
  orphans = 0;
  private rowsRead = new Map<string, number>();

  private constructor(
    private readonly root: StreamPlan,
    private readonly options: BuilderOptions,
  ) {
    const whereNow = () => this.where;
    this.idCodecs = options.idFields.map((f, i) => this.codec(f, i, whereNow));
    const visit = (stream: StreamPlan) => {
      for (const [node, positions] of stream.fieldsAt) {
        const inTable = node === root.node ? whereNow : () => `${whereNow()}, embedded ${node.table.id}`;
        this.codecs.set(
          node,
          node.fields.map((f, i) => this.codec(f, positions[i], inTable)),
        );
      }
      for (const child of stream.children.values()) visit(child);
    };
    visit(root);
  }

  static async open(root: StreamPlan, options: BuilderOptions): Promise<DocumentBuilder> {
    const builder = new DocumentBuilder(root, options);
    const all: StreamPlan[] = [];
    const collect = (s: StreamPlan) => {
      all.push(s);
      for (const c of s.children.values()) collect(c);
    };
    collect(root);
    try {
      for (const s of all) builder.streams.set(s, new PeekStream(await options.open(s)));
    } catch (error) {
      await builder.close();
      throw error;
    }
    return builder;
  }

  private codec(field: FieldPlan, at: number, where: () => string): FieldCodec {
    const base = converterFor(
      this.options.dialect,
      field.column,
      this.options.notes,
      () => `${where()}, column ${field.column.name}`,
    );
    const type = field.type;
    const convert: Converter = type
      ? (raw) => {
          try {
            return castValue(base(raw), type);
          } catch (error) {
            throw new Error(`${where()}, column ${field.column.name}: ${(error as Error).message}`);
          }
        }
      : base;
    return { at, name: field.name, nulls: field.nulls, convert };
  }

  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.close().catch(() => undefined)));
  }

  /** The next documents, at most `maxDocs` or about `maxBytes`; null when the collection is complete. */
  async nextBatch(maxDocs: number, maxBytes: number): Promise<BuiltBatch | null> {
    const rootStream = this.streams.get(this.root)!;
    const raws: Uint8Array[] = [];
    const keys: Row[] = [];
    let bytes = 0;
    let lastKey: Row | undefined;
    this.rowsRead = new Map();
    while (raws.length < maxDocs && bytes < maxBytes) {
      const row = rootStream.current() ?? (rootStream.current() === null ? null : await rootStream.load());
      if (!row) break;
      rootStream.advance();
      const doc = await this.rootDocument(row);
      const raw = this.serialize(doc);
      raws.push(raw);
      bytes += raw.length;
      if (this.root.hashAt === undefined) {
        lastKey = row.slice(0, this.root.rootKeyLength);
        keys.push(lastKey);
      } else keys.push(row.slice(0, 1));
    }
    if (raws.length === 0) return null;
    return { raws, bytes, lastKey, rows: this.rowsRead, keys };
  }

  private count(table: string, n = 1): void {
    this.rowsRead.set(table, (this.rowsRead.get(table) ?? 0) + n);
  }

  private async rootDocument(row: Row): Promise<Document> {
    const root = this.root;
    const doc: Document = {};
    if (root.hashAt !== undefined) {
      const hash = row[root.hashAt];
      this.occurrence = hash === this.lastHash ? this.occurrence + 1 : 0;
      this.lastHash = hash;
      doc._id = `${String(hash)}-${this.occurrence}`;
      this.where = `table ${root.node.table.id}, row with content hash ${String(hash)}`;
    } else {
      this.where = `table ${root.node.table.id}, row with key ${row
        .slice(0, root.rootKeyLength)
        .map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v)))
        .join(', ')}`;
      if (this.idCodecs.length === 1) doc._id = this.idCodecs[0].convert(row[0]);
      else {
        const id: Document = {};
        this.idCodecs.forEach((c, i) => (id[c.name] = c.convert(row[i])));
        doc._id = id;
      }
    }
    this.count(root.node.table.id);
    await this.fill(root, row, root.node, doc, '');
    return doc;
  }

  private async fill(stream: StreamPlan, row: Row, node: NodePlan, doc: Document, prefix: string): Promise<void> {
    for (const codec of this.codecs.get(node)!) {
      const value = codec.convert(row[codec.at]);
      if (value === null && codec.nulls === 'omit') continue;
      doc[prefix + codec.name] = value;
    }
    for (const embed of node.embeds) {
      if (embed.kind === 'children') {
        doc[prefix + embed.field] = await this.children(stream, row, embed);
      } else {
        const present = row[stream.presenceAt.get(embed.node)!] !== null;
        if (embed.kind === 'parent') {
          if (!present) doc[prefix + embed.field] = null;
          else {
            const sub: Document = {};
            await this.fill(stream, row, embed.node, sub, '');
            doc[prefix + embed.field] = sub;
          }
        } else if (present) {
          await this.fill(stream, row, embed.node, doc, prefix + embed.prefix);
        }
        if (present) this.count(embed.node.table.id);
      }
    }
  }

  private async children(container: StreamPlan, containerRow: Row, embed: EmbedPlan): Promise<unknown[]> {
    const plan = container.children.get(embed)!;
    const stream = this.streams.get(plan)!;
    const items: unknown[] = [];
    const primitive = embed.primitive
      ? this.codecs.get(embed.node)!.find((c) => c.name === embed.primitive!.name)
      : undefined;
    let taken = 0;
    for (;;) {
      let row = stream.current();
      if (row === undefined) row = await stream.load();
      if (row === null) break;
      const order = this.compareGroup(plan, row, container, containerRow);
      if (order < 0) {
        this.orphans++;
        stream.advance();
        continue;
      }
      if (order > 0) break;
      stream.advance();
      taken++;
      if (primitive) items.push(primitive.convert(row[primitive.at]));
      else {
        const doc: Document = {};
        await this.fill(plan, row, embed.node, doc, '');
        items.push(doc);
      }
    }
    if (taken) this.count(embed.node.table.id, taken);
    return items;
  }

  /** Compares a child row's container key with the container row's key. */
  private compareGroup(child: StreamPlan, row: Row, container: StreamPlan, containerRow: Row): number {
    for (let i = 0; i < child.groupLength; i++) {
      const order = child.comparators[i](row[child.compareAt[i]], containerRow[container.compareAt[i]]);
      if (order !== 0) return order;
    }
    return 0;
  }

  private serialize(doc: Document): Uint8Array {
    let raw: Uint8Array | undefined;
    try {
      raw = BSON.serialize(doc);
    } catch (error) {
      if (!(error instanceof RangeError) && !/size|buffer/i.test((error as Error).message)) throw error;
    }
    const size = raw?.length ?? BSON.calculateObjectSize(doc);
    if (!raw || size > MAX_DOCUMENT_BYTES) {
      throw new Error(
        `${this.options.collection}: the document of ${this.where} (_id ${showId(doc._id)}) would be ${(size / 1024 / 1024).toFixed(1)} MB, over MongoDB's 16 MB limit. Embed less into it (keep a relation as a reference) or leave out large fields.`,
      );
    }
    return raw;
  }
}
