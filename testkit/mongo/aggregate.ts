/**
 * Aggregation pipeline over rows. Stages stream where they can and materialize where they must.
 */
import { canonicalKey, compareValues, valuesEqual, type StringCollator } from './compare.js';
import { CommandError } from './errors.js';
import { evaluate, expressionFields, isTruthy, toValue } from './expr.js';
import { compileFilter } from './match.js';
import { getPath } from './path.js';
import { compileProjection } from './projection.js';
import { pickElements } from './rawbson.js';
import { compileSort, Row, sortRows } from './rows.js';
import type { Collection, Storage } from './storage.js';
import { cloneValue } from './update.js';
import {
  addNumbers,
  divideNumbers,
  Double,
  Int32,
  isDocument,
  isNumber,
  isPlainObject,
  Long,
  MISSING,
  toDouble,
  type Doc,
  type Maybe,
  type Value,
} from './values.js';

export interface AggregateEnv {
  storage: Storage;
  db: string;
  /** the source collection (undefined for collection-less or missing collections) */
  coll?: Collection;
  collName?: string;
  host: string;
  collator?: StringCollator;
  /** runs a collection's rows (views resolved) for $lookup / $unionWith */
  scan(db: string, coll: string): Iterable<Row>;
}

type Stage = (input: Iterable<Row>) => Iterable<Row>;

const ctxFor = (doc: Doc) => ({ root: doc, vars: new Map<string, Maybe>() });

function fieldsOfExprs(exprs: Value[]): Set<string> | null {
  const out = new Set<string>();
  for (const e of exprs) if (!expressionFields(e, out)) return null;
  return out;
}

export function compilePipeline(pipeline: Value, env: AggregateEnv): Stage[] {
  if (!Array.isArray(pipeline)) throw new CommandError(14, "'pipeline' option must be specified as an array");
  return pipeline.map((stage, i) => compileStage(stage, env, i));
}

export function runPipeline(stages: Stage[], input: Iterable<Row>): Iterable<Row> {
  let cur = input;
  for (const s of stages) cur = s(cur);
  return cur;
}

function stageName(stage: Value): [string, Value] {
  if (!isPlainObject(stage))
    throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
  const keys = Object.keys(stage);
  if (keys.length !== 1)
    throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
  return [keys[0], stage[keys[0]]];
}

function compileStage(stage: Value, env: AggregateEnv, index: number): Stage {
  const [name, spec] = stageName(stage);
  switch (name) {
    case '$match': {
      if (!isPlainObject(spec)) throw new CommandError(15959, 'the match filter must be an expression in an object');
      const f = compileFilter(spec, { collator: env.collator });
      if (f.matchesAll) return (input) => input;
      return function* (input) {
        for (const row of input) if (f.test(row.fields(f.fields))) yield row;
      };
    }
    case '$limit': {
      const n = toDouble(spec);
      if (!Number.isInteger(n) || n <= 0) throw new CommandError(15958, `the limit must be positive`);
      return function* (input) {
        if (n <= 0) return;
        let i = 0;
        for (const row of input) {
          yield row;
          if (++i >= n) return;
        }
      };
    }
    case '$skip': {
      const n = toDouble(spec);
      if (!Number.isInteger(n) || n < 0)
        throw new CommandError(15956, 'invalid argument to $skip stage: Expected a non-negative number');
      return function* (input) {
        let i = 0;
        for (const row of input) if (i++ >= n) yield row;
      };
    }
    case '$sort': {
      const sort = compileSort(spec);
      if (!sort) throw new CommandError(15976, '$sort stage must have at least one sort key');
      return (input) => sortRows([...input], sort, env.collator);
    }
    case '$project': {
      const proj = compileProjection(spec, 'aggregate')!;
      return function* (input) {
        for (const row of input) {
          if (proj.rawKeep && row.raw) yield new Row(pickElements(row.raw, proj.rawKeep));
          else yield Row.ofDoc(proj.apply(row.fields(proj.fields)));
        }
      };
    }
    case '$unset': {
      const list = typeof spec === 'string' ? [spec] : spec;
      if (!Array.isArray(list) || list.length === 0)
        throw new CommandError(
          31002,
          '$unset specification must be a string or an array containing at least one field',
        );
      const proj = compileProjection(Object.fromEntries(list.map((f) => [String(f), new Int32(0)])), 'aggregate')!;
      return function* (input) {
        for (const row of input) {
          if (proj.rawKeep && row.raw) yield new Row(pickElements(row.raw, proj.rawKeep));
          else yield Row.ofDoc(proj.apply(row.doc()));
        }
      };
    }
    case '$addFields':
    case '$set': {
      if (!isPlainObject(spec)) throw new CommandError(40272, `${name} specification stage must be an object`);
      return function* (input) {
        for (const row of input) yield Row.ofDoc(addFields(row.doc(), spec));
      };
    }
    case '$replaceRoot':
    case '$replaceWith': {
      const expr = name === '$replaceRoot' ? (spec as Doc).newRoot : spec;
      return function* (input) {
        for (const row of input) {
          const doc = row.doc();
          const r = evaluate(expr, ctxFor(doc));
          if (!isDocument(r))
            throw new CommandError(
              40228,
              `'newRoot' expression must evaluate to an object, but resulting value was: ${String(r === MISSING ? 'MISSING' : r)}. Type of resulting value: '${r === MISSING ? 'missing' : typeof r}'.`,
            );
          yield Row.ofDoc(r as Doc);
        }
      };
    }
    case '$count': {
      if (typeof spec !== 'string' || spec.length === 0 || spec.startsWith('$') || spec.includes('.')) {
        throw new CommandError(40156, 'the count field must be a non-empty string');
      }
      return function* (input) {
        let n = 0;
        for (const row of input) {
          void row;
          n++;
        }
        if (n > 0) yield Row.ofDoc({ [spec]: new Int32(n) });
      };
    }
    case '$group':
      return compileGroup(spec, env);
    case '$sortByCount': {
      const group = compileGroup({ _id: spec, count: { $sum: new Int32(1) } }, env);
      const sort = compileSort({ count: new Int32(-1) })!;
      return (input) => sortRows([...group(input)], sort);
    }
    case '$sample': {
      const size = toDouble((spec as Doc)?.size);
      if (!(size >= 0)) throw new CommandError(28746, 'size argument to $sample must be a number');
      return (input) => {
        const all = [...input];
        for (let i = all.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [all[i], all[j]] = [all[j], all[i]];
        }
        return all.slice(0, size);
      };
    }
    case '$unwind':
      return compileUnwind(spec);
    case '$bucketAuto':
      return compileBucketAuto(spec, env);
    case '$bucket':
      return compileBucket(spec, env);
    case '$collStats': {
      if (index !== 0) throw new CommandError(40602, '$collStats is only valid as the first stage in a pipeline');
      return () => [Row.ofDoc(collStatsDoc(spec as Doc, env))];
    }
    case '$lookup':
      return compileLookup(spec as Doc, env);
    case '$unionWith': {
      const d = typeof spec === 'string' ? { coll: spec } : (spec as Doc);
      const sub = d.pipeline === undefined ? [] : compilePipeline(d.pipeline, env);
      return function* (input) {
        yield* input;
        yield* runPipeline(sub, env.scan(env.db, String(d.coll)));
      };
    }
    case '$facet': {
      const facets = Object.entries(spec as Doc).map(([k, p]) => [k, compilePipeline(p, env)] as const);
      return (input) => {
        const rows = [...input];
        const out: Doc = {};
        for (const [k, stages] of facets) out[k] = [...runPipeline(stages, rows)].map((r) => r.doc());
        return [Row.ofDoc(out)];
      };
    }
    case '$changeStream':
      throw new CommandError(40573, 'The $changeStream stage is only supported on replica sets');
    case '$out':
    case '$merge':
    case '$setWindowFields':
    case '$densify':
    case '$fill':
    case '$graphLookup':
    case '$redact':
    case '$geoNear':
    case '$search':
    case '$searchMeta':
    case '$vectorSearch':
    case '$indexStats':
    case '$currentOp':
    case '$listSessions':
    case '$listLocalSessions':
    case '$planCacheStats':
      throw new CommandError(40324, `${name} is not supported by the Cutover test server`);
    default:
      throw new CommandError(40324, `Unrecognized pipeline stage name: '${name}'`);
  }
}

/**
 * Sets computed fields like $addFields: dotted paths create nested documents, and a nested
 * object spec ({a: {b: expr}}) merges into an existing embedded document.
 */
export function addFields(doc: Doc, spec: Doc): Doc {
  const out: Doc = { ...doc };
  addFieldsInto(out, spec, doc);
  return out;
}

function isNestedSpec(v: Value): v is Doc {
  return isPlainObject(v) && Object.keys(v).length > 0 && !Object.keys(v).some((k) => k.startsWith('$'));
}

function addFieldsInto(target: Doc, spec: Doc, root: Doc): void {
  for (const [path, expr] of Object.entries(spec)) {
    const parts = path.split('.');
    if (isNestedSpec(expr)) {
      const existing = getPath(target, parts);
      const sub: Doc = isPlainObject(existing) ? { ...existing } : {};
      addFieldsInto(sub, expr, root);
      setComputed(target, parts, sub);
    } else {
      setComputed(target, parts, evaluate(expr, ctxFor(root)));
    }
  }
}

function setComputed(doc: Doc, parts: string[], v: Maybe): void {
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (isPlainObject(next)) cur[parts[i]] = { ...next };
    else cur[parts[i]] = {};
    cur = cur[parts[i]] as Doc;
  }
  const last = parts[parts.length - 1];
  if (v === MISSING) delete cur[last];
  else cur[last] = v as Value;
}

/** Applies update-pipeline stages ($set/$addFields/$unset/$project/$replaceRoot/$replaceWith) to one document. */
export function applyUpdatePipeline(doc: Doc, stages: Doc[], env: AggregateEnv): Doc {
  const allowed = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
  for (const s of stages) {
    const [name] = stageName(s);
    if (!allowed.has(name)) throw new CommandError(72, `${name} is not allowed to be used within an update`);
  }
  const compiled = compilePipeline(stages, env);
  const out = [...runPipeline(compiled, [Row.ofDoc(cloneValue(doc))])];
  return out[0].doc();
}

// ------------------------------------------------------------------------------------- $group

interface Accumulator {
  init(): AccState;
}
interface AccState {
  add(v: Maybe): void;
  result(): Maybe;
}

function makeAccumulator(op: string, arg: Value): Accumulator {
  switch (op) {
    case '$sum':
      return {
        init: () => {
          let acc: Value = new Int32(0);
          return {
            add: (v) => {
              if (isNumber(v)) acc = addNumbers(acc, v);
            },
            result: () => acc,
          };
        },
      };
    case '$count':
      return {
        init: () => {
          let n = 0;
          return { add: () => void n++, result: () => (n > 2147483647 ? Long.fromNumber(n) : new Int32(n)) };
        },
      };
    case '$avg':
      return {
        init: () => {
          let acc: Value = new Int32(0);
          let n = 0;
          return {
            add: (v) => {
              if (isNumber(v)) {
                acc = addNumbers(acc, v);
                n++;
              }
            },
            result: () => (n === 0 ? null : divideNumbers(acc, new Int32(n))),
          };
        },
      };
    case '$min':
    case '$max':
      return {
        init: () => {
          let best: Maybe = MISSING;
          return {
            add: (v) => {
              if (v === MISSING || v === null || v === undefined) return;
              if (best === MISSING) best = v;
              else {
                const c = compareValues(v, best);
                if ((op === '$min' && c < 0) || (op === '$max' && c > 0)) best = v;
              }
            },
            result: () => (best === MISSING ? null : best),
          };
        },
      };
    case '$first':
    case '$last':
      return {
        init: () => {
          let val: Maybe = MISSING;
          let seen = false;
          return {
            add: (v) => {
              if (op === '$first' && seen) return;
              seen = true;
              val = v;
            },
            result: () => (val === MISSING ? null : val),
          };
        },
      };
    case '$push':
    case '$addToSet':
      return {
        init: () => {
          const out: Value[] = [];
          const keys = new Set<string>();
          return {
            add: (v) => {
              if (v === MISSING) return;
              if (op === '$addToSet') {
                const k = canonicalKey(v);
                if (keys.has(k)) return;
                keys.add(k);
              }
              out.push(v as Value);
            },
            result: () => out,
          };
        },
      };
    case '$mergeObjects':
      return {
        init: () => {
          const out: Doc = {};
          return {
            add: (v) => {
              if (isDocument(v)) Object.assign(out, v);
            },
            result: () => out,
          };
        },
      };
    case '$stdDevPop':
    case '$stdDevSamp':
      return {
        init: () => {
          const xs: number[] = [];
          return {
            add: (v) => {
              if (isNumber(v)) xs.push(toDouble(v));
            },
            result: () => {
              const n = xs.length;
              if (n === 0 || (op === '$stdDevSamp' && n === 1)) return null;
              const mean = xs.reduce((a, b) => a + b, 0) / n;
              const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
              return new Double(Math.sqrt(ss / (op === '$stdDevPop' ? n : n - 1)));
            },
          };
        },
      };
    default:
      throw new CommandError(15952, `unknown group operator '${op}'`);
  }
  void arg;
}

function compileGroup(spec: Value, env: AggregateEnv): Stage {
  if (!isPlainObject(spec) || !('_id' in spec))
    throw new CommandError(15955, 'a group specification must include an _id');
  const idExpr = spec._id;
  const accs: Array<{ field: string; acc: Accumulator; expr: Value }> = [];
  const exprs: Value[] = [idExpr];
  for (const [field, def] of Object.entries(spec)) {
    if (field === '_id') continue;
    if (field.includes('.')) throw new CommandError(40235, `The field name '${field}' cannot contain '.'`);
    if (!isPlainObject(def) || Object.keys(def).length !== 1)
      throw new CommandError(40234, `The field '${field}' must be an accumulator object`);
    const [op] = Object.keys(def);
    const expr = op === '$count' ? null : def[op];
    accs.push({ field, acc: makeAccumulator(op, expr), expr });
    exprs.push(expr);
  }
  const fields = fieldsOfExprs(exprs);
  return (input) => {
    const groups = new Map<string, { id: Maybe; states: AccState[] }>();
    for (const row of input) {
      const doc = row.fields(fields);
      const ctx = ctxFor(doc);
      const id = evaluate(idExpr, ctx);
      const key = canonicalKey(id === MISSING ? null : id, env.collator);
      let g = groups.get(key);
      if (!g) {
        g = { id, states: accs.map((a) => a.acc.init()) };
        groups.set(key, g);
      }
      for (let i = 0; i < accs.length; i++) g.states[i].add(accs[i].expr === null ? null : evaluate(accs[i].expr, ctx));
    }
    const out: Row[] = [];
    for (const g of groups.values()) {
      const d: Doc = { _id: toValue(g.id) };
      for (let i = 0; i < accs.length; i++) {
        const r = g.states[i].result();
        d[accs[i].field] = toValue(r);
      }
      out.push(Row.ofDoc(d));
    }
    return out;
  };
}

// ------------------------------------------------------------------------------------- $unwind

function compileUnwind(spec: Value): Stage {
  const d: Doc = typeof spec === 'string' ? { path: spec } : (spec as Doc);
  const path = d.path;
  if (typeof path !== 'string' || !path.startsWith('$'))
    throw new CommandError(28818, "path option to $unwind stage should be prefixed with a '$'");
  const parts = path.slice(1).split('.');
  const includeIndex = typeof d.includeArrayIndex === 'string' ? d.includeArrayIndex : null;
  const preserve = d.preserveNullAndEmptyArrays === true;
  return function* (input) {
    for (const row of input) {
      const doc = row.doc();
      const v = getPath(doc, parts);
      if (Array.isArray(v) && v.length > 0) {
        for (let i = 0; i < v.length; i++) {
          const out = cloneValue(doc);
          setComputed(out, parts, v[i]);
          if (includeIndex) out[includeIndex] = Long.fromNumber(i);
          yield Row.ofDoc(out);
        }
      } else if (v !== MISSING && v !== null && !Array.isArray(v)) {
        if (includeIndex) {
          const out = { ...doc, [includeIndex]: null };
          yield Row.ofDoc(out);
        } else yield row;
      } else if (preserve) {
        const out = { ...doc };
        if (includeIndex) out[includeIndex] = null;
        yield Row.ofDoc(out);
      }
    }
  };
}

// ------------------------------------------------------------------------------------- buckets

function outputAccs(output: Value | undefined): Array<{ field: string; acc: Accumulator; expr: Value }> {
  if (output === undefined) return [{ field: 'count', acc: makeAccumulator('$sum', new Int32(1)), expr: new Int32(1) }];
  return Object.entries(output as Doc).map(([field, def]) => {
    const [op] = Object.keys(def as Doc);
    const expr = op === '$count' ? null : (def as Doc)[op];
    return { field, acc: makeAccumulator(op, expr), expr };
  });
}

function compileBucketAuto(spec: Value, env: AggregateEnv): Stage {
  if (!isPlainObject(spec)) throw new CommandError(40240, 'the $bucketAuto stage specification must be an object');
  const groupBy = spec.groupBy;
  const buckets = toDouble(spec.buckets);
  if (!Number.isInteger(buckets) || buckets <= 0)
    throw new CommandError(40243, "The $bucketAuto 'buckets' field must be greater than 0");
  if (typeof groupBy !== 'string' && !isPlainObject(groupBy))
    throw new CommandError(
      40239,
      "The $bucketAuto 'groupBy' field must be defined as a $-prefixed path or an expression object",
    );
  if (spec.granularity !== undefined)
    throw new CommandError(2, '$bucketAuto granularity is not supported by the Cutover test server');
  const accs = outputAccs(spec.output);
  const fields = fieldsOfExprs([groupBy, ...accs.map((a) => a.expr)]);
  return (input) => {
    const items: Array<{ key: Value; doc: Doc }> = [];
    for (const row of input) {
      const doc = row.fields(fields);
      const k = evaluate(groupBy, ctxFor(doc));
      items.push({ key: toValue(k), doc });
    }
    items.sort((a, b) => compareValues(a.key, b.key, env.collator));
    const n = items.length;
    if (n === 0) return [];
    const approx = Math.max(1, Math.round(n / buckets));
    const out: Row[] = [];
    let i = 0;
    const built: Array<{ min: Value; max: Value; states: AccState[] }> = [];
    while (i < n) {
      const states = accs.map((a) => a.acc.init());
      const min = items[i].key;
      let count = 0;
      const isLast = built.length === buckets - 1;
      while (i < n && (isLast || count < approx)) {
        const ctx = ctxFor(items[i].doc);
        for (let a = 0; a < accs.length; a++) states[a].add(accs[a].expr === null ? null : evaluate(accs[a].expr, ctx));
        count++;
        i++;
      }
      // keep equal values in the same bucket
      while (i < n && compareValues(items[i].key, items[i - 1].key, env.collator) === 0) {
        const ctx = ctxFor(items[i].doc);
        for (let a = 0; a < accs.length; a++) states[a].add(accs[a].expr === null ? null : evaluate(accs[a].expr, ctx));
        i++;
      }
      built.push({ min, max: items[i - 1].key, states });
    }
    // boundaries chain: a bucket's max is the next bucket's min
    for (let b = 0; b < built.length; b++) {
      const max = b + 1 < built.length ? built[b + 1].min : built[b].max;
      const d: Doc = { _id: { min: built[b].min, max } };
      accs.forEach((a, k) => (d[a.field] = toValue(built[b].states[k].result())));
      out.push(Row.ofDoc(d));
    }
    return out;
  };
}

function compileBucket(spec: Value, env: AggregateEnv): Stage {
  const d = spec as Doc;
  const boundaries = d.boundaries as Value[];
  if (!Array.isArray(boundaries) || boundaries.length < 2)
    throw new CommandError(40192, "The $bucket 'boundaries' field must have at least 2 values");
  const accs = outputAccs(d.output);
  return (input) => {
    const buckets = boundaries.slice(0, -1).map(() => accs.map((a) => a.acc.init()));
    const counts = boundaries.slice(0, -1).map(() => 0);
    const defStates = accs.map((a) => a.acc.init());
    let defCount = 0;
    for (const row of input) {
      const doc = row.doc();
      const ctx = ctxFor(doc);
      const k = evaluate(d.groupBy, ctx);
      let b = -1;
      for (let i = 0; i < boundaries.length - 1; i++) {
        if (
          compareValues(k, boundaries[i], env.collator) >= 0 &&
          compareValues(k, boundaries[i + 1], env.collator) < 0
        ) {
          b = i;
          break;
        }
      }
      const states = b >= 0 ? buckets[b] : d.default !== undefined ? defStates : null;
      if (!states)
        throw new CommandError(
          40066,
          '$bucket could not find a matching branch for an input, and no default was specified.',
        );
      if (b >= 0) counts[b]++;
      else defCount++;
      accs.forEach((a, i) => states[i].add(a.expr === null ? null : evaluate(a.expr, ctx)));
    }
    const out: Row[] = [];
    buckets.forEach((states, i) => {
      if (counts[i] === 0) return;
      const r: Doc = { _id: boundaries[i] };
      accs.forEach((a, k) => (r[a.field] = toValue(states[k].result())));
      out.push(Row.ofDoc(r));
    });
    if (defCount > 0) {
      const r: Doc = { _id: d.default as Value };
      accs.forEach((a, k) => (r[a.field] = toValue(defStates[k].result())));
      out.push(Row.ofDoc(r));
    }
    return out;
  };
}

// ------------------------------------------------------------------------------------- $lookup

function compileLookup(spec: Doc, env: AggregateEnv): Stage {
  const from = String(spec.from);
  const as = String(spec.as);
  if (spec.pipeline !== undefined) {
    const sub = compilePipeline(spec.pipeline, env);
    const letVars = (spec.let as Doc) ?? {};
    const hasLocal = spec.localField !== undefined;
    return function* (input) {
      const foreign = [...env.scan(env.db, from)].map((r) => r.doc());
      for (const row of input) {
        const doc = row.doc();
        const vars = new Map<string, Maybe>();
        for (const [k, e] of Object.entries(letVars)) vars.set(k, evaluate(e, ctxFor(doc)));
        let candidates = foreign;
        if (hasLocal)
          candidates = foreign.filter((f) =>
            lookupMatch(getPath(doc, String(spec.localField)), getPath(f, String(spec.foreignField))),
          );
        const stages = sub.length ? withVars(spec.pipeline as Doc[], vars, env) : [];
        const matched = [
          ...runPipeline(
            stages,
            candidates.map((c) => Row.ofDoc(c)),
          ),
        ].map((r) => r.doc());
        yield Row.ofDoc({ ...doc, [as]: matched });
      }
    };
  }
  const localField = String(spec.localField);
  const foreignField = String(spec.foreignField);
  return function* (input) {
    const foreign = [...env.scan(env.db, from)].map((r) => r.doc());
    for (const row of input) {
      const doc = row.doc();
      const local = getPath(doc, localField);
      const matched = foreign.filter((f) => lookupMatch(local, getPath(f, foreignField)));
      const out = { ...doc };
      setComputed(out, as.split('.'), matched);
      yield Row.ofDoc(out);
    }
  };
}

/** Substitutes $$vars of a $lookup pipeline by wrapping $expr evaluation (vars are literal-inlined). */
function withVars(pipeline: Doc[], vars: Map<string, Maybe>, env: AggregateEnv): Stage[] {
  const subst = (v: Value): Value => {
    if (typeof v === 'string' && v.startsWith('$$')) {
      const name = v.slice(2).split('.')[0];
      if (vars.has(name)) {
        const rest = v.slice(2 + name.length + 1);
        const base = vars.get(name);
        const val = rest ? getPath(base, rest) : base;
        return { $literal: toValue(val) };
      }
    }
    if (Array.isArray(v)) return v.map(subst);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x)]));
    return v;
  };
  return compilePipeline(
    pipeline.map((s) => subst(s) as Doc),
    env,
  );
}

function lookupMatch(local: Maybe, foreign: Maybe): boolean {
  const ls = Array.isArray(local) ? (local.length ? local : [null]) : [local === MISSING ? null : local];
  const fs = Array.isArray(foreign) ? foreign : [foreign === MISSING ? null : foreign];
  return ls.some((l) => fs.some((f) => valuesEqual(l, f)));
}

// ------------------------------------------------------------------------------------- $collStats

export function collectionStats(coll: Collection | undefined, scale = 1): Doc {
  const count = coll?.count() ?? 0;
  const size = coll?.dataSize ?? 0;
  const nindexes = coll?.indexes.length ?? 0;
  const indexSizes: Doc = {};
  let totalIndexSize = 0;
  for (const idx of coll?.indexes ?? []) {
    const s = 4096 + count * 32;
    indexSizes[idx.name] = new Int32(Math.floor(s / scale));
    totalIndexSize += s;
  }
  return {
    size: num(size / scale),
    count: num(count),
    avgObjSize: num(count ? Math.floor(size / count) : 0),
    numOrphanDocs: new Int32(0),
    storageSize: num(Math.max(4096, size) / scale),
    freeStorageSize: new Int32(0),
    capped: coll?.capped != null,
    nindexes: new Int32(nindexes),
    indexDetails: {},
    indexBuilds: [],
    totalIndexSize: num(totalIndexSize / scale),
    totalSize: num((Math.max(4096, size) + totalIndexSize) / scale),
    indexSizes,
    scaleFactor: new Int32(scale),
  };
}

function num(n: number): Value {
  const v = Math.floor(n);
  return v > 2147483647 ? Long.fromNumber(v) : new Int32(v);
}

function collStatsDoc(spec: Doc, env: AggregateEnv): Doc {
  if (spec.storageStats !== undefined && !env.coll) {
    throw new CommandError(
      26,
      `Unable to retrieve storageStats in $collStats stage :: caused by :: Collection [${env.db}.${env.collName ?? ''}] not found.`,
    );
  }
  const out: Doc = { ns: `${env.db}.${env.collName ?? ''}`, host: env.host, localTime: new Date() };
  if (spec.latencyStats !== undefined)
    out.latencyStats = { reads: zeroOps(), writes: zeroOps(), commands: zeroOps(), transactions: zeroOps() };
  if (spec.storageStats !== undefined) {
    const scale =
      isPlainObject(spec.storageStats) && spec.storageStats.scale !== undefined ? toDouble(spec.storageStats.scale) : 1;
    out.storageStats = collectionStats(env.coll, scale);
  }
  if (spec.count !== undefined) out.count = num(env.coll?.count() ?? 0);
  if (spec.queryExecStats !== undefined)
    out.queryExecStats = { collectionScans: { total: Long.fromNumber(0), nonTailable: Long.fromNumber(0) } };
  return out;
}

function zeroOps(): Doc {
  return { latency: Long.fromNumber(0), ops: Long.fromNumber(0) };
}

export { isTruthy };
