/**
 * Read commands: find, getMore, killCursors, count, distinct, aggregate.
 */
import { canonicalKey, collatorFor, compareValues } from '../compare.js';
import type { CommandContext, CommandTable } from '../context.js';
import { DEFAULT_FIRST_BATCH } from '../cursors.js';
import { CommandError } from '../errors.js';
import { compilePipeline, runPipeline } from '../aggregate.js';
import { aggregateRows, idSortDirection, makeEnv, resolveSource, scan, sortedIdScan } from '../executor.js';
import { compileFilter } from '../match.js';
import { leaves } from '../path.js';
import { compileProjection, type Projection } from '../projection.js';
import { pickElements, RawDoc, type ReplyDoc } from '../rawbson.js';
import { compileSort, Row, sortRows } from '../rows.js';
import {
  bsonType,
  Double,
  encode,
  Int32,
  isNumber,
  isPlainObject,
  Long,
  MISSING,
  toDouble,
  type Doc,
  type Value,
} from '../values.js';
import { collectionName } from './collections.js';

function optionalObject(ctx: CommandContext, field: string): Doc | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v))
    throw new CommandError(
      14,
      `BSON field '${ctx.name}.${field}' is the wrong type '${bsonType(v)}', expected type 'object'`,
    );
  return v;
}

function nonNegative(ctx: CommandContext, field: string): number | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (!isNumber(v))
    throw new CommandError(
      14,
      `BSON field '${ctx.name}.${field}' is the wrong type '${bsonType(v)}', expected types '[long, int, decimal, double]'`,
    );
  const n = Math.trunc(toDouble(v));
  if (n < 0) throw new CommandError(51024, `BSON field '${field}' value must be >= 0, actual value '${n}'`);
  return n;
}

function cursorReply(id: bigint, ns: string, docs: Buffer[], batch: 'firstBatch' | 'nextBatch'): ReplyDoc {
  return { cursor: { [batch]: docs.map((d) => new RawDoc(d)), id: Long.fromBigInt(id), ns }, ok: new Double(1) };
}

function projectBytes(proj: Projection | null, row: Row, positional?: number): Buffer {
  if (!proj) return row.bytes();
  if (proj.rawKeep && row.raw) return pickElements(row.raw, proj.rawKeep);
  return encode(proj.apply(row.fields(proj.fields), positional));
}

function checkHint(ctx: CommandContext, hint: Value | undefined, collName: string): void {
  if (hint === undefined || hint === null) return;
  const coll = ctx.server.storage.getCollection(ctx.db, collName);
  if (!coll) return;
  if (isPlainObject(hint) && Object.keys(hint).length === 0) return;
  if (isPlainObject(hint) && '$natural' in hint) return;
  if (!coll.findIndex(hint)) {
    throw new CommandError(
      2,
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
}

const UNSUPPORTED_FIND_OPTIONS = ['tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId', 'oplogReplay'];

function find(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const ns = `${ctx.db}.${name}`;
  ctx.server.stats.queries++;
  for (const opt of UNSUPPORTED_FIND_OPTIONS) {
    const v = ctx.body[opt];
    if (v !== undefined && v !== false && !(isPlainObject(v) && Object.keys(v).length === 0)) {
      throw new CommandError(2, `find option '${opt}' is not supported by the Cutover test server`);
    }
  }
  const filter = optionalObject(ctx, 'filter');
  const sortSpec = optionalObject(ctx, 'sort');
  const projSpec = optionalObject(ctx, 'projection');
  const skip = nonNegative(ctx, 'skip') ?? 0;
  let limit = 0;
  let singleBatch = ctx.body.singleBatch === true;
  if (ctx.body.limit !== undefined && ctx.body.limit !== null) {
    const l = Math.trunc(toDouble(ctx.body.limit));
    if (l < 0) {
      limit = -l;
      singleBatch = true;
    } else limit = l;
  }
  const batchSize = nonNegative(ctx, 'batchSize');
  checkHint(ctx, ctx.body.hint, name);
  const sort = compileSort(sortSpec);
  const proj = compileProjection(projSpec, 'find');
  compileFilter(filter); // validate even when the collection does not exist
  const src = resolveSource(ctx.server, ctx.db, name);
  let source: Iterator<Buffer>;
  if (src.isView) {
    const pipeline: Doc[] = [];
    if (filter && Object.keys(filter).length) pipeline.push({ $match: filter });
    if (sortSpec) pipeline.push({ $sort: sortSpec });
    if (skip) pipeline.push({ $skip: new Int32(skip) });
    if (limit) pipeline.push({ $limit: new Int32(limit) });
    const { rows } = aggregateRows(ctx.server, ctx.db, name, pipeline, ctx.body.collation);
    source = (function* () {
      for (const row of rows) yield projectBytes(proj, row);
    })();
  } else if (!src.coll) {
    source = [][Symbol.iterator]();
  } else {
    const coll = src.coll;
    const collator = collatorFor(ctx.body.collation) ?? coll.collator;
    source = (function* () {
      let skipped = 0;
      let produced = 0;
      const dir = idSortDirection(sortSpec);
      const ordered = dir ? sortedIdScan(coll, filter, dir, collator) : null;
      if (ordered) {
        for (const m of ordered) {
          if (skipped < skip) {
            skipped++;
            continue;
          }
          yield projectBytes(proj, m.row);
          if (limit > 0 && ++produced >= limit) return;
        }
        return;
      }
      if (sort) {
        const matched = [...scan(coll, filter, collator)];
        const positional = new Map<Row, number | undefined>(matched.map((m) => [m.row, m.match.arrayIndex]));
        const sorted = sortRows(
          matched.map((m) => m.row),
          sort,
          collator,
        );
        const end = limit > 0 ? skip + limit : sorted.length;
        for (let i = skip; i < Math.min(end, sorted.length); i++)
          yield projectBytes(proj, sorted[i], positional.get(sorted[i]));
        return;
      }
      for (const m of scan(coll, filter, collator)) {
        if (skipped < skip) {
          skipped++;
          continue;
        }
        yield projectBytes(proj, m.row, m.match.arrayIndex);
        if (limit > 0 && ++produced >= limit) return;
      }
    })();
  }
  const first = batchSize ?? DEFAULT_FIRST_BATCH;
  const { id, docs } = ctx.server.cursors.open(ns, source, {
    batchSize: limit > 0 ? Math.min(first, limit) : first,
    limit,
    singleBatch,
    lsid: ctx.lsid,
  });
  return cursorReply(id, ns, docs, 'firstBatch');
}

function getMore(ctx: CommandContext): ReplyDoc {
  const idv = ctx.body.getMore;
  if (bsonType(idv) !== 'long' && bsonType(idv) !== 'int')
    throw new CommandError(
      14,
      `BSON field 'getMore.getMore' is the wrong type '${bsonType(idv)}', expected type 'long'`,
    );
  const id = BigInt(String(idv));
  const coll = ctx.body.collection;
  if (typeof coll !== 'string' || coll === '')
    throw new CommandError(14, "BSON field 'getMore.collection' is missing but a required field");
  const batchSize = nonNegative(ctx, 'batchSize');
  ctx.server.stats.getmores++;
  const ns = `${ctx.db}.${coll}`;
  const r = ctx.server.cursors.getMore(id, ns, batchSize);
  return cursorReply(r.id, ns, r.docs, 'nextBatch');
}

function killCursors(ctx: CommandContext): ReplyDoc {
  const list = ctx.body.cursors;
  if (!Array.isArray(list))
    throw new CommandError(14, "BSON field 'killCursors.cursors' is missing but a required field");
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const c of list) {
    const id = BigInt(String(c));
    if (ctx.server.cursors.kill(id)) killed.push(Long.fromBigInt(id));
    else notFound.push(Long.fromBigInt(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: new Double(1) };
}

function count(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const query = optionalObject(ctx, 'query');
  const skip = nonNegative(ctx, 'skip') ?? 0;
  const limit =
    ctx.body.limit === undefined || ctx.body.limit === null ? 0 : Math.abs(Math.trunc(toDouble(ctx.body.limit)));
  checkHint(ctx, ctx.body.hint, name);
  compileFilter(query);
  const src = resolveSource(ctx.server, ctx.db, name);
  let n = 0;
  if (src.isView) {
    const { rows } = aggregateRows(ctx.server, ctx.db, name, query ? [{ $match: query }] : [], ctx.body.collation);
    for (const r of rows) {
      void r;
      n++;
    }
  } else if (src.coll) {
    if (!query || Object.keys(query).length === 0) n = src.coll.count();
    else {
      const collator = collatorFor(ctx.body.collation) ?? src.coll.collator;
      for (const m of scan(src.coll, query, collator)) {
        void m;
        n++;
      }
    }
  }
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n: n > 2147483647 ? Long.fromNumber(n) : new Int32(n), ok: new Double(1) };
}

function distinct(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const key = ctx.body.key;
  if (typeof key !== 'string') throw new CommandError(14, "BSON field 'distinct.key' is missing but a required field");
  if (key === '') throw new CommandError(40352, 'FieldPath cannot be constructed with empty string');
  const query = optionalObject(ctx, 'query');
  compileFilter(query);
  const src = resolveSource(ctx.server, ctx.db, name);
  const collator = collatorFor(ctx.body.collation) ?? src.coll?.collator;
  let rows: Iterable<Row>;
  if (src.isView)
    rows = aggregateRows(ctx.server, ctx.db, name, query ? [{ $match: query }] : [], ctx.body.collation).rows;
  else if (src.coll) {
    const coll = src.coll;
    rows = (function* () {
      for (const m of scan(coll, query, collator)) yield m.row;
    })();
  } else rows = [];
  const parts = key.split('.');
  const seen = new Map<string, Value>();
  const top = new Set([parts[0]]);
  for (const row of rows) {
    const doc = row.fields(top);
    for (const l of leaves(doc, parts)) {
      if (l.value === MISSING) continue;
      const vals = Array.isArray(l.value) ? l.value : [l.value];
      for (const v of vals) {
        const k = canonicalKey(v, collator);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
  }
  const values = [...seen.values()].sort((a, b) => compareValues(a, b, collator));
  return { values, ok: new Double(1) };
}

function aggregate(ctx: CommandContext): ReplyDoc {
  const target = ctx.body.aggregate;
  const pipeline = ctx.body.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError(14, "'pipeline' option must be specified as an array");
  if (ctx.body.explain === true) throw new CommandError(2, 'explain is not supported by the Cutover test server');
  const cursorOpt = ctx.body.cursor;
  if (!isPlainObject(cursorOpt))
    throw new CommandError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
  const batchSize =
    cursorOpt.batchSize === undefined ? DEFAULT_FIRST_BATCH : Math.max(0, Math.trunc(toDouble(cursorOpt.batchSize)));
  ctx.server.stats.queries++;
  let rows: Iterable<Row>;
  let ns: string;
  if (isNumber(target) && toDouble(target) === 1) {
    ns = `${ctx.db}.$cmd.aggregate`;
    const first = pipeline[0];
    if (!(isPlainObject(first) && '$documents' in first)) {
      const stage = isPlainObject(first) ? Object.keys(first)[0] : String(first);
      throw new CommandError(40324, `Unrecognized pipeline stage name: '${stage}'`);
    }
    const docs = first.$documents;
    if (!Array.isArray(docs)) throw new CommandError(5858203, '$documents must evaluate to an array');
    const env = makeEnv(ctx.server, ctx.db, undefined, undefined, collatorFor(ctx.body.collation));
    rows = runPipeline(
      compilePipeline(pipeline.slice(1), env),
      docs.map((d) => Row.ofDoc(d as Doc)),
    );
  } else {
    const name = collectionName(ctx);
    ns = `${ctx.db}.${name}`;
    checkHint(ctx, ctx.body.hint, name);
    rows = aggregateRows(ctx.server, ctx.db, name, pipeline as Doc[], ctx.body.collation).rows;
  }
  const source = (function* () {
    for (const row of rows) yield row.bytes();
  })();
  const { id, docs } = ctx.server.cursors.open(ns, source, { batchSize, lsid: ctx.lsid });
  return cursorReply(id, ns, docs, 'firstBatch');
}

export const queryCommands: CommandTable = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
