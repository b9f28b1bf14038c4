/**
 * Query execution over a collection: candidate selection (with `_id` fast paths), filtering with
 * partial decoding, sorting, views, and the aggregation environment.
 */
import { applyUpdatePipeline, compilePipeline, runPipeline, type AggregateEnv } from './aggregate.js';
import { canonicalKey, collatorFor, compareValues, TYPE_RANK, typeRank, type StringCollator } from './compare.js';
import type { ServerState } from './context.js';
import { CommandError } from './errors.js';
import { compileFilter, type CompiledFilter, type MatchContext } from './match.js';
import { Row } from './rows.js';
import type { Collection } from './storage.js';
import type { PipelineApplier } from './update.js';
import { bsonType, isPlainObject, type Doc, type Value } from './values.js';

export interface Matched {
  idKey: string;
  /** the decoded `_id`, when the scan already had it */
  id?: Value;
  row: Row;
  /** positional match info from the filter */
  match: MatchContext;
}

/** Canonical `_id` keys when the filter is an `_id` equality / $in over plain values, else null. */
export function idLookupKeys(filter: Value | undefined, coll?: StringCollator): string[] | null {
  if (!isPlainObject(filter)) return null;
  const keys = Object.keys(filter).filter((k) => k !== '$comment');
  if (keys.length !== 1 || keys[0] !== '_id') return null;
  const v = filter._id;
  const plain = (x: Value): boolean => {
    const t = bsonType(x);
    if (t === 'regex' || t === 'array' || t === 'null' || t === 'undefined') return false;
    if (coll && (t === 'string' || t === 'symbol' || t === 'object')) return false;
    if (t === 'object' && Object.keys(x as Doc).some((k) => k.startsWith('$'))) return false;
    return true;
  };
  if (isPlainObject(v) && Object.keys(v).length === 1) {
    if ('$eq' in v) return plain(v.$eq) ? [canonicalKey(v.$eq)] : null;
    if ('$in' in v && Array.isArray(v.$in))
      return v.$in.every(plain) ? [...new Set(v.$in.map((x) => canonicalKey(x)))] : null;
  }
  if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) return null;
  return plain(v) ? [canonicalKey(v)] : null;
}

/** Documents of `coll` matching `filter`, in natural (insertion) order. */
export function* scan(coll: Collection, filterSpec: Value | undefined, collator?: StringCollator): Generator<Matched> {
  const filter: CompiledFilter = compileFilter(filterSpec, { collator });
  const ids = idLookupKeys(filterSpec, collator);
  if (ids) {
    for (const k of ids) {
      const raw = coll.docs.get(k);
      if (!raw) continue;
      coll.scannedObjects++;
      yield { idKey: k, row: new Row(raw), match: {} };
    }
    return;
  }
  if (filter.matchesAll) {
    for (const [idKey, raw] of coll.docs) {
      coll.scannedObjects++;
      yield { idKey, row: new Row(raw), match: {} };
    }
    return;
  }
  const equality =
    !collator && !coll.collator && coll.count() >= EQUALITY_TABLE_MIN_DOCS ? fieldEquality(filterSpec) : null;
  if (equality) {
    // An equality on a field without an index: candidates from the collection's lookup table, then
    // the whole filter checked as usual (mongod would scan; this keeps repeated lookups linear).
    const owners = coll.equalityTable(equality.field).get(equality.key);
    for (const idKey of owners ? [...owners] : []) {
      const raw = coll.docs.get(idKey);
      if (!raw) continue;
      coll.scannedObjects++;
      const row = new Row(raw);
      const match: MatchContext = {};
      if (filter.test(row.fields(filter.fields), match)) yield { idKey, row, match };
    }
    return;
  }
  const bounds = idOnlyBounds(filterSpec);
  if (bounds && (bounds.lower !== undefined || bounds.upper !== undefined || bounds.rank !== undefined)) {
    // like mongod's _id index scan: candidates come in _id order
    const viaIndex = sortedIdScan(coll, filterSpec, 1, collator);
    if (viaIndex) {
      yield* viaIndex;
      return;
    }
  }
  for (const [idKey, raw] of coll.docs) {
    coll.scannedObjects++;
    const row = new Row(raw);
    const match: MatchContext = {};
    if (filter.test(row.fields(filter.fields), match)) yield { idKey, row, match };
  }
}

/** Below this many documents a scan is as quick as building a lookup table. */
const EQUALITY_TABLE_MIN_DOCS = 64;
const EQUALITY_TYPES = new Set(['string', 'int', 'long', 'double', 'decimal', 'objectId', 'bool', 'date']);

/**
 * A top-level equality on a plain field (`{email: "a@b", …}` or `{email: {$eq: "a@b"}, …}`) that every
 * match must satisfy, as the field and the value's canonical key; null when the filter has none.
 */
function fieldEquality(filter: Value | undefined): { field: string; key: string } | null {
  if (!isPlainObject(filter)) return null;
  for (const [field, v] of Object.entries(filter)) {
    if (field === '_id' || field.startsWith('$') || field.includes('.') || field === '') continue;
    const value = isPlainObject(v) && Object.keys(v).length === 1 && '$eq' in v ? v.$eq : v;
    if (EQUALITY_TYPES.has(bsonType(value))) return { field, key: canonicalKey(value) };
  }
  return null;
}

interface IdBounds {
  lower?: Value;
  upper?: Value;
  /** canonical type rank implied by a `$type` constraint */
  rank?: number;
}

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte', '$eq']);

/** Canonical BSON type rank of each $type alias: the type order of compare.ts, plus "number". */
const { missing: _missing, ...typeRanks } = TYPE_RANK;
const TYPE_ALIAS_RANK: Record<string, number> = { ...typeRanks, number: TYPE_RANK.double };

/** Bounds of an `_id`-only filter made of equality / range operators; null when not applicable. */
function idOnlyBounds(filter: Value | undefined): IdBounds | null {
  if (filter === undefined || filter === null) return {};
  if (!isPlainObject(filter)) return null;
  const keys = Object.keys(filter).filter((k) => k !== '$comment');
  if (keys.length === 0) return {};
  if (keys.length !== 1 || keys[0] !== '_id') return null;
  const v = filter._id;
  const t = bsonType(v);
  if (t === 'regex' || t === 'array' || t === 'null' || t === 'undefined' || t === 'minKey' || t === 'maxKey')
    return null;
  if (!isPlainObject(v) || !Object.keys(v).some((k) => k.startsWith('$'))) return { lower: v, upper: v };
  const out: IdBounds = {};
  for (const [op, x] of Object.entries(v)) {
    if (op === '$type') {
      // checked by the filter itself; a single alias also narrows the scan to one type bracket
      if (typeof x === 'string' && x in TYPE_ALIAS_RANK) out.rank = TYPE_ALIAS_RANK[x];
      continue;
    }
    if (!RANGE_OPS.has(op)) return null;
    const xt = bsonType(x);
    if (xt === 'minKey' || xt === 'maxKey' || xt === 'null' || xt === 'regex' || xt === 'array') return null;
    if (op === '$gt' || op === '$gte' || op === '$eq')
      out.lower = out.lower === undefined || compareValues(x, out.lower) > 0 ? x : out.lower;
    if (op === '$lt' || op === '$lte' || op === '$eq')
      out.upper = out.upper === undefined || compareValues(x, out.upper) < 0 ? x : out.upper;
  }
  return out;
}

function firstIndex(ids: Value[], pred: (v: Value) => boolean): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(ids[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Documents matching an `_id`-only filter in `_id` order, using the collection's sorted `_id`
 * list (binary search on the bounds). Null when the filter or collation does not allow it.
 */
export function sortedIdScan(
  coll: Collection,
  filterSpec: Value | undefined,
  dir: 1 | -1,
  collator?: StringCollator,
): Iterable<Matched> | null {
  if (collator || coll.collator) return null;
  const bounds = idOnlyBounds(filterSpec);
  if (!bounds) return null;
  const filter = compileFilter(filterSpec);
  return (function* () {
    const { ids, keys } = coll.sortedIds();
    let lo = 0;
    let hi = ids.length;
    const bound = bounds.lower ?? bounds.upper;
    const rank = bound !== undefined ? typeRank(bound) : bounds.rank;
    if (rank !== undefined) {
      // type bracketing: only values of one canonical type can match
      lo = firstIndex(ids, (v) => typeRank(v) >= rank);
      hi = firstIndex(ids, (v) => typeRank(v) > rank);
    }
    if (bounds.lower !== undefined)
      lo = Math.max(
        lo,
        firstIndex(ids, (v) => compareValues(v, bounds.lower) >= 0),
      );
    if (bounds.upper !== undefined)
      hi = Math.min(
        hi,
        firstIndex(ids, (v) => compareValues(v, bounds.upper) > 0),
      );
    for (let n = 0; n < hi - lo; n++) {
      const i = dir === 1 ? lo + n : hi - 1 - n;
      const raw = coll.docs.get(keys[i]);
      if (!raw) continue;
      if (!filter.matchesAll && !filter.test({ _id: ids[i] })) continue;
      yield { idKey: keys[i], id: ids[i], row: new Row(raw), match: {} };
    }
  })();
}

/** `{ _id: 1 }` / `{ _id: -1 }` sorts, which sortedIdScan can serve directly. */
export function idSortDirection(sort: Value | undefined): 1 | -1 | null {
  if (!isPlainObject(sort)) return null;
  const keys = Object.keys(sort);
  if (keys.length !== 1 || keys[0] !== '_id') return null;
  const d = Number(String(sort._id));
  return d === 1 ? 1 : d === -1 ? -1 : null;
}

export interface ResolvedSource {
  coll: Collection | undefined;
  /** pipeline of the view chain, applied before the user's stages */
  viewPipeline: Doc[];
  isView: boolean;
}

export function resolveSource(server: ServerState, db: string, name: string): ResolvedSource {
  let coll = server.storage.getCollection(db, name);
  const pipeline: Doc[] = [];
  let isView = false;
  let depth = 0;
  while (coll && coll.type === 'view') {
    isView = true;
    if (++depth > 20) throw new CommandError(2, 'View depth too deep or view cycle detected');
    pipeline.unshift(...((coll.options.pipeline as Doc[]) ?? []));
    coll = server.storage.getCollection(db, String(coll.options.viewOn));
  }
  return { coll, viewPipeline: pipeline, isView };
}

export function makeEnv(
  server: ServerState,
  db: string,
  collName: string | undefined,
  coll: Collection | undefined,
  collator?: StringCollator,
): AggregateEnv {
  const env: AggregateEnv = {
    storage: server.storage,
    db,
    coll,
    collName,
    host: `${server.host}:${server.port}`,
    collator,
    scan: (d, c) => sourceRows(server, d, c, env),
  };
  return env;
}

function* sourceRows(server: ServerState, db: string, name: string, env: AggregateEnv): Generator<Row> {
  const src = resolveSource(server, db, name);
  if (!src.coll) return;
  const base = (function* () {
    for (const raw of src.coll!.docs.values()) yield new Row(raw);
  })();
  if (src.viewPipeline.length === 0) {
    yield* base;
    return;
  }
  yield* runPipeline(compilePipeline(src.viewPipeline, { ...env, coll: src.coll }), base);
}

/**
 * Rows for an aggregation over `name`: resolves views and pushes a leading $match into the scan
 * (so `_id` lookups and partial decoding apply). Returns the remaining stages.
 */
export function aggregateRows(
  server: ServerState,
  db: string,
  name: string,
  pipeline: Doc[],
  collation: Value | undefined,
): { rows: Iterable<Row>; env: AggregateEnv } {
  const src = resolveSource(server, db, name);
  const collator = collatorFor(collation) ?? src.coll?.collator;
  const env = makeEnv(server, db, name, src.coll, collator);
  let stages = [...src.viewPipeline, ...pipeline];
  stages.forEach((s, i) => {
    if (i > 0 && isPlainObject(s) && '$collStats' in s)
      throw new CommandError(40602, '$collStats is only valid as the first stage in a pipeline');
  });
  let rows: Iterable<Row>;
  const first = stages[0];
  if (first && isPlainObject(first) && '$collStats' in first) {
    rows = [];
  } else if (!src.coll) {
    rows = [];
  } else if (idBuckets(stages, src.coll, collator)) {
    // [$match on _id]? + $bucketAuto on $_id: feed the sorted _id list, no document decoding
    const { filter, consumed } = idBuckets(stages, src.coll, collator)!;
    stages = stages.slice(consumed);
    const ordered = sortedIdScan(src.coll, filter, 1, collator)!;
    rows = (function* () {
      for (const m of ordered) yield Row.ofDoc({ _id: m.id as Value });
    })();
  } else if (idOrdered(stages, src.coll, collator)) {
    // [$match on _id]? + $sort {_id: ±1}: walk the sorted _id list instead of sorting
    const { filter, dir, consumed } = idOrdered(stages, src.coll, collator)!;
    stages = stages.slice(consumed);
    const ordered = sortedIdScan(src.coll, filter, dir, collator)!;
    rows = (function* () {
      for (const m of ordered) yield m.row;
    })();
  } else if (
    first &&
    isPlainObject(first) &&
    Object.keys(first).length === 1 &&
    '$match' in first &&
    isPlainObject(first.$match)
  ) {
    const filter = first.$match;
    stages = stages.slice(1);
    rows = (function* () {
      for (const m of scan(src.coll!, filter, collator)) yield m.row;
    })();
  } else {
    rows = (function* () {
      for (const raw of src.coll!.docs.values()) yield new Row(raw);
    })();
  }
  return { rows: runPipeline(compilePipeline(stages, env), rows), env };
}

function idBuckets(
  stages: Doc[],
  coll: Collection,
  collator?: StringCollator,
): { filter: Value | undefined; consumed: number } | null {
  let i = 0;
  let filter: Value | undefined;
  const s0 = stages[0];
  if (s0 && isPlainObject(s0) && Object.keys(s0).length === 1 && '$match' in s0) {
    filter = s0.$match;
    i = 1;
  }
  const s = stages[i];
  if (!s || !isPlainObject(s) || Object.keys(s).length !== 1 || !isPlainObject(s.$bucketAuto)) return null;
  const spec = s.$bucketAuto;
  if (spec.groupBy !== '$_id' || spec.output !== undefined) return null;
  if (!sortedIdScan(coll, filter, 1, collator)) return null;
  return { filter, consumed: i };
}

function idOrdered(
  stages: Doc[],
  coll: Collection,
  collator?: StringCollator,
): { filter: Value | undefined; dir: 1 | -1; consumed: number } | null {
  let i = 0;
  let filter: Value | undefined;
  const s0 = stages[0];
  if (s0 && isPlainObject(s0) && Object.keys(s0).length === 1 && '$match' in s0) {
    filter = s0.$match;
    i = 1;
  }
  const s = stages[i];
  if (!s || !isPlainObject(s) || Object.keys(s).length !== 1 || !('$sort' in s)) return null;
  const dir = idSortDirection(s.$sort);
  if (!dir) return null;
  if (!sortedIdScan(coll, filter, dir, collator)) return null;
  return { filter, dir, consumed: i + 1 };
}

export function pipelineApplier(server: ServerState, db: string): PipelineApplier {
  return (doc, stages) => applyUpdatePipeline(doc, stages, makeEnv(server, db, undefined, undefined));
}
