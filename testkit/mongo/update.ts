/**
 * Update documents: operator updates ($set, $inc, $push ... with positional / $[] / $[id] paths),
 * replacements and pipeline updates; upsert seed documents.
 */
import { compareStrings, compareValues, valuesEqual } from './compare.js';
import { CommandError } from './errors.js';
import { compileFilter } from './match.js';
import { topField } from './path.js';
import {
  addNumbers,
  bsonType,
  Double,
  Int32,
  isDocument,
  isNumber,
  isPlainObject,
  Long,
  MISSING,
  multiplyNumbers,
  Timestamp,
  toDouble,
  type Doc,
  type Maybe,
  type Value,
} from './values.js';

export interface UpdateContext {
  isInsert: boolean;
  positionalIndex?: number;
}

export interface CompiledUpdate {
  kind: 'operators' | 'replacement' | 'pipeline';
  /** returns the updated document (the input may be mutated) */
  apply(doc: Doc, ctx: UpdateContext): Doc;
}

/** Hook for pipeline-style updates, provided by the aggregation module (avoids an import cycle). */
export type PipelineApplier = (doc: Doc, stages: Doc[]) => Doc;

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$currentDate',
  '$setOnInsert',
  '$bit',
]);

export function cloneValue<T extends Maybe>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

export function formatValue(v: Maybe): string {
  if (v === MISSING) return 'missing';
  const t = bsonType(v);
  switch (t) {
    case 'string':
      return JSON.stringify(v);
    case 'objectId':
      return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
    case 'int':
    case 'double':
      return String(toDouble(v));
    case 'long':
      return String((v as Long).toString());
    case 'decimal':
      return `NumberDecimal("${String(v)}")`;
    case 'date':
      return `new Date(${(v as Date).getTime()})`;
    case 'null':
    case 'undefined':
      return 'null';
    case 'bool':
      return String(v);
    case 'array':
      return '[ ' + (v as Value[]).map(formatValue).join(', ') + ' ]';
    case 'object':
      return formatDoc(v as Doc);
    case 'binData': {
      const b = v as { sub_type: number; toString(enc: 'base64'): string };
      return `BinData(${b.sub_type}, ${b.toString('base64').toUpperCase()})`;
    }
    case 'timestamp':
      return `Timestamp(${(v as Timestamp).t}, ${(v as Timestamp).i})`;
    default:
      return String(v);
  }
}

export function formatDoc(d: Doc): string {
  const entries = Object.entries(d);
  if (entries.length === 0) return '{}';
  return '{ ' + entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ') + ' }';
}

interface Entry {
  op: string;
  path: string;
  parts: string[];
  arg: Value;
}

function comparePathParts(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const na = /^\d+$/.test(a[i]);
    const nb = /^\d+$/.test(b[i]);
    if (na && nb) {
      const d = Number(a[i]) - Number(b[i]);
      if (d !== 0) return d;
    } else {
      const c = compareStrings(a[i], b[i]);
      if (c !== 0) return c;
    }
  }
  return a.length - b.length;
}

function isPrefix(a: string[], b: string[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function compileUpdate(
  update: Value,
  arrayFilters: Value | undefined,
  pipeline?: PipelineApplier,
): CompiledUpdate {
  if (Array.isArray(update)) {
    if (!pipeline) throw new CommandError(2, 'pipeline updates are not supported here');
    const stages = update as Doc[];
    return { kind: 'pipeline', apply: (doc) => preserveId(doc, pipeline(doc, stages)) };
  }
  if (!isPlainObject(update)) throw new CommandError(9, 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  if (keys.length === 0 || !keys[0].startsWith('$')) {
    for (const k of keys) {
      if (k.startsWith('$'))
        throw new CommandError(
          52,
          `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
        );
    }
    const replacement = update;
    return { kind: 'replacement', apply: (doc) => replaceDoc(doc, cloneValue(replacement)) };
  }
  const entries: Entry[] = [];
  for (const op of keys) {
    if (!OPERATORS.has(op))
      throw new CommandError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    const spec = update[op];
    if (!isPlainObject(spec))
      throw new CommandError(
        9,
        `Modifiers operate on fields but we found type ${bsonType(spec)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(spec)}}`,
      );
    for (const [path, arg] of Object.entries(spec)) {
      if (path === '') throw new CommandError(56, 'An empty update path is not valid.');
      const parts = path.split('.');
      if (parts.some((p) => p === ''))
        throw new CommandError(56, `The update path '${path}' contains an empty field name, which is not allowed.`);
      entries.push({ op, path, parts, arg });
      if (op === '$rename') {
        if (typeof arg !== 'string')
          throw new CommandError(2, `The 'to' field for $rename must be a string: ${path}: ${formatValue(arg)}`);
        if (arg === path)
          throw new CommandError(2, `The source and target field for $rename must differ: ${path}: "${arg}"`);
        entries.push({ op: '$renameTarget', path: arg, parts: arg.split('.'), arg: path });
      }
    }
  }
  // conflict detection on literal paths
  const byPath = [...entries].sort((a, b) => comparePathParts(a.parts, b.parts));
  for (let i = 0; i < byPath.length; i++) {
    for (let j = i + 1; j < byPath.length; j++) {
      const a = byPath[i].parts;
      const b = byPath[j].parts;
      if (isPrefix(a, b)) {
        throw new CommandError(
          40,
          `Updating the path '${byPath[j].path}' would create a conflict at '${byPath[i].path}'`,
        );
      }
      if (a[0] !== b[0]) break;
    }
  }
  const filters = compileArrayFilters(arrayFilters, entries);
  const ordered = byPath.filter((e) => e.op !== '$renameTarget');
  return {
    kind: 'operators',
    apply: (doc, ctx) => {
      const idBefore = doc._id;
      for (const e of ordered) applyEntry(doc, e, ctx, filters);
      if (idBefore !== undefined && !valuesEqual(doc._id, idBefore)) {
        throw new CommandError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
      }
      return doc;
    },
  };
}

function preserveId(before: Doc, after: Doc): Doc {
  if (before._id === undefined) return after;
  if (!('_id' in after)) return { _id: before._id, ...after };
  if (!valuesEqual(after._id, before._id)) {
    throw new CommandError(
      66,
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(after._id)}`,
    );
  }
  return after;
}

function replaceDoc(before: Doc, replacement: Doc): Doc {
  if (before._id === undefined) {
    if ('_id' in replacement) {
      const { _id, ...rest } = replacement;
      return { _id, ...rest };
    }
    return replacement;
  }
  if ('_id' in replacement) {
    if (!valuesEqual(replacement._id, before._id)) {
      throw new CommandError(
        66,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(replacement._id)}`,
      );
    }
    const { _id, ...rest } = replacement;
    return { _id: before._id, ...rest };
  }
  return { _id: before._id, ...replacement };
}

type ArrayFilters = Map<string, (el: Value) => boolean>;

function compileArrayFilters(arrayFilters: Value | undefined, entries: Entry[]): ArrayFilters {
  const out: ArrayFilters = new Map();
  if (arrayFilters !== undefined && arrayFilters !== null) {
    if (!Array.isArray(arrayFilters)) throw new CommandError(2, 'arrayFilters must be an array');
    for (const f of arrayFilters) {
      if (!isPlainObject(f) || Object.keys(f).length === 0)
        throw new CommandError(2, 'Cannot use an expression without a top-level field name in arrayFilters');
      const ids = new Set(Object.keys(f).map(topField));
      if (ids.size !== 1)
        throw new CommandError(
          9,
          'Error parsing array filter :: caused by :: Expected a single top-level field name, found ' +
            [...ids].join(' and '),
        );
      const id = [...ids][0];
      if (out.has(id))
        throw new CommandError(9, `Found multiple array filters with the same top-level field name ${id}`);
      const compiled = compileFilter(f);
      out.set(id, (el) => compiled.test({ [id]: el }));
    }
  }
  const used = new Set<string>();
  for (const e of entries) {
    for (const p of e.parts) {
      const m = /^\$\[(.+)\]$/.exec(p);
      if (m) {
        if (!out.has(m[1]))
          throw new CommandError(2, `No array filter found for identifier '${m[1]}' in path '${e.path}'`);
        used.add(m[1]);
      }
    }
  }
  for (const id of out.keys()) {
    if (!used.has(id))
      throw new CommandError(9, `The array filter for identifier '${id}' was not used in the update { ... }`);
  }
  return out;
}

/** Visits every concrete (container, key) the path designates, creating intermediates when `create`. */
function visit(
  container: Value,
  parts: string[],
  i: number,
  ctx: UpdateContext,
  filters: ArrayFilters,
  create: boolean,
  fullPath: string,
  fn: (parent: Doc | Value[], key: string) => void,
): void {
  let part = parts[i];
  const last = i === parts.length - 1;
  if (part === '$') {
    if (ctx.positionalIndex === undefined)
      throw new CommandError(2, 'The positional operator did not find the match needed from the query.');
    part = String(ctx.positionalIndex);
  }
  if (part === '$[]' || /^\$\[.+\]$/.test(part)) {
    if (!Array.isArray(container)) {
      if (!create) return;
      throw new CommandError(
        2,
        `The path '${parts.slice(0, i).join('.')}' must exist in the document in order to apply array updates.`,
      );
    }
    const id = part === '$[]' ? null : part.slice(2, -1);
    const filter = id === null ? null : filters.get(id)!;
    for (let j = 0; j < container.length; j++) {
      if (filter && !filter(container[j])) continue;
      if (last) fn(container, String(j));
      else descend(container, String(j), parts, i, ctx, filters, create, fullPath, fn);
    }
    return;
  }
  if (last) {
    fn(container as Doc | Value[], part);
    return;
  }
  descend(container, part, parts, i, ctx, filters, create, fullPath, fn);
}

function descend(
  container: Value,
  part: string,
  parts: string[],
  i: number,
  ctx: UpdateContext,
  filters: ArrayFilters,
  create: boolean,
  fullPath: string,
  fn: (parent: Doc | Value[], key: string) => void,
): void {
  let child: Maybe;
  if (Array.isArray(container)) {
    if (!/^\d+$/.test(part)) {
      if (!create) return;
      throw new CommandError(
        28,
        `Cannot create field '${part}' in element {${parts[i - 1] ?? ''}: ${formatValue(container)}}`,
      );
    }
    const idx = Number(part);
    child = idx < container.length ? container[idx] : MISSING;
    if (child === MISSING || child === null) {
      if (!create) return;
      while (container.length < idx) container.push(null);
      child = {};
      container[idx] = child;
    }
  } else if (isDocument(container)) {
    const d = container as Doc;
    child = Object.prototype.hasOwnProperty.call(d, part) ? d[part] : MISSING;
    if (child === MISSING) {
      if (!create) return;
      child = {};
      d[part] = child;
    }
  } else return;
  if (!isDocument(child) && !Array.isArray(child)) {
    if (!create) return;
    const nextPart = parts[i + 1];
    if (nextPart === '$[]' || /^\$\[.+\]$/.test(nextPart)) {
      throw new CommandError(
        2,
        `The path '${parts.slice(0, i + 1).join('.')}' must exist in the document in order to apply array updates.`,
      );
    }
    throw new CommandError(
      28,
      `Cannot create field '${nextPart}' in element {${part}: ${formatValue(child as Value)}}`,
    );
  }
  visit(child as Value, parts, i + 1, ctx, filters, create, fullPath, fn);
}

function getAt(parent: Doc | Value[], key: string): Maybe {
  if (Array.isArray(parent)) {
    const idx = Number(key);
    return /^\d+$/.test(key) && idx < parent.length ? parent[idx] : MISSING;
  }
  return Object.prototype.hasOwnProperty.call(parent, key) ? parent[key] : MISSING;
}

function setAt(parent: Doc | Value[], key: string, value: Value, path: string): void {
  if (Array.isArray(parent)) {
    if (!/^\d+$/.test(key))
      throw new CommandError(28, `Cannot create field '${key}' in element {${path}: ${formatValue(parent)}}`);
    const idx = Number(key);
    while (parent.length < idx) parent.push(null);
    parent[idx] = value;
    return;
  }
  parent[key] = value;
}

function unsetAt(parent: Doc | Value[], key: string): void {
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (/^\d+$/.test(key) && idx < parent.length) parent[idx] = null;
    return;
  }
  delete parent[key];
}

function idOf(doc: Doc): string {
  return doc._id === undefined ? '{}' : `{_id: ${formatValue(doc._id)}}`;
}

function applyEntry(doc: Doc, e: Entry, ctx: UpdateContext, filters: ArrayFilters): void {
  const { op, arg, path } = e;
  if (op === '$setOnInsert' && !ctx.isInsert) return;
  const createOps = op !== '$unset' && op !== '$pull' && op !== '$pullAll' && op !== '$pop' && op !== '$rename';
  if (op === '$rename') {
    applyRename(doc, e, ctx, filters);
    return;
  }
  visit(doc, e.parts, 0, ctx, filters, createOps, path, (parent, key) => {
    const cur = getAt(parent, key);
    switch (op) {
      case '$set':
      case '$setOnInsert':
        setAt(parent, key, cloneValue(arg), path);
        break;
      case '$unset':
        if (cur !== MISSING) unsetAt(parent, key);
        break;
      case '$inc':
      case '$mul': {
        if (!isNumber(arg)) {
          throw new CommandError(
            14,
            `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(arg)}}`,
          );
        }
        if (cur === MISSING) {
          setAt(parent, key, op === '$inc' ? cloneValue(arg) : multiplyNumbers(zeroLike(arg), arg), path);
        } else if (!isNumber(cur)) {
          throw new CommandError(
            14,
            `Cannot apply ${op} to a value of non-numeric type. ${idOf(doc)} has the field '${key}' of non-numeric type ${bsonType(cur)}`,
          );
        } else {
          setAt(parent, key, op === '$inc' ? addNumbers(cur, arg) : multiplyNumbers(cur, arg), path);
        }
        break;
      }
      case '$min':
      case '$max': {
        if (cur === MISSING) setAt(parent, key, cloneValue(arg), path);
        else {
          const c = compareValues(arg, cur);
          if ((op === '$min' && c < 0) || (op === '$max' && c > 0)) setAt(parent, key, cloneValue(arg), path);
        }
        break;
      }
      case '$currentDate': {
        const isTs = isPlainObject(arg) && arg.$type === 'timestamp';
        if (isPlainObject(arg) && arg.$type !== 'timestamp' && arg.$type !== 'date') {
          throw new CommandError(
            2,
            "The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}",
          );
        }
        const now = Date.now();
        setAt(parent, key, isTs ? new Timestamp({ t: Math.floor(now / 1000), i: 1 }) : new Date(now), path);
        break;
      }
      case '$push':
      case '$addToSet': {
        let arr: Value[];
        if (cur === MISSING) {
          arr = [];
        } else if (!Array.isArray(cur)) {
          throw new CommandError(
            2,
            `The field '${key}' must be an array but is of type ${bsonType(cur)} in document ${idOf(doc)}`,
          );
        } else arr = cur;
        const hasEach = isPlainObject(arg) && '$each' in arg;
        let items: Value[];
        if (hasEach) {
          const each = (arg as Doc).$each;
          if (!Array.isArray(each))
            throw new CommandError(
              2,
              `The argument to $each in ${op} must be an array but it was of type: ${bsonType(each)}`,
            );
          items = each.map((x) => cloneValue(x));
          for (const k of Object.keys(arg as Doc)) {
            if (op === '$addToSet' && k !== '$each')
              throw new CommandError(2, `Found unexpected fields after $each in $addToSet: ${formatValue(arg)}`);
            if (!['$each', '$slice', '$sort', '$position'].includes(k))
              throw new CommandError(2, `Unrecognized clause in $push: ${k}`);
          }
        } else items = [cloneValue(arg)];
        if (op === '$addToSet') {
          for (const it of items) if (!arr.some((x) => valuesEqual(x, it))) arr.push(it);
        } else {
          const mods = hasEach ? (arg as Doc) : {};
          if (mods.$position !== undefined) {
            let pos = toDouble(mods.$position);
            if (pos < 0) pos = Math.max(arr.length + pos, 0);
            arr.splice(Math.min(pos, arr.length), 0, ...items);
          } else arr.push(...items);
          if (mods.$sort !== undefined) sortArray(arr, mods.$sort);
          if (mods.$slice !== undefined) {
            const n = toDouble(mods.$slice);
            const sliced = n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(arr.length + n, 0));
            arr.length = 0;
            arr.push(...sliced);
          }
        }
        if (cur === MISSING) setAt(parent, key, arr, path);
        break;
      }
      case '$pop': {
        if (cur === MISSING) break;
        if (!Array.isArray(cur))
          throw new CommandError(14, `Path '${path}' contains an element of non-array type '${bsonType(cur)}'`);
        if (toDouble(arg) >= 1) cur.pop();
        else cur.shift();
        break;
      }
      case '$pull':
      case '$pullAll': {
        if (cur === MISSING) break;
        if (!Array.isArray(cur)) throw new CommandError(2, `Cannot apply ${op} to a non-array value`);
        let keep: (x: Value) => boolean;
        if (op === '$pullAll') {
          if (!Array.isArray(arg))
            throw new CommandError(2, `$pullAll requires an array argument but was given a ${bsonType(arg)}`);
          keep = (x) => !arg.some((y) => valuesEqual(x, y));
        } else keep = (x) => !pullMatcher(arg)(x);
        const kept = cur.filter(keep);
        cur.length = 0;
        cur.push(...kept);
        break;
      }
      case '$bit': {
        if (!isPlainObject(arg))
          throw new CommandError(2, `The $bit modifier is not compatible with a ${bsonType(arg)}`);
        let v: Value = cur === MISSING ? new Int32(0) : cur;
        if (!isNumber(v) || bsonType(v) === 'double' || bsonType(v) === 'decimal') {
          throw new CommandError(
            2,
            `Cannot apply $bit to a value of non-integral type. ${idOf(doc)} has the field ${key} of non-integer type ${bsonType(v)}`,
          );
        }
        for (const [bop, operand] of Object.entries(arg)) {
          const a: bigint = BigInt(Math.trunc(toDouble(v)));
          const b: bigint = BigInt(Math.trunc(toDouble(operand)));
          const r: bigint | null = bop === 'and' ? a & b : bop === 'or' ? a | b : bop === 'xor' ? a ^ b : null;
          if (r === null)
            throw new CommandError(2, `The $bit modifier only supports 'and', 'or', and 'xor', not '${bop}'`);
          const wide: boolean = bsonType(v) === 'long' || bsonType(operand) === 'long';
          v = wide ? Long.fromBigInt(BigInt.asIntN(64, r)) : new Int32(Number(BigInt.asIntN(32, r)));
        }
        setAt(parent, key, v, path);
        break;
      }
      default:
        throw new CommandError(9, `Unknown modifier: ${op}`);
    }
  });
}

function zeroLike(v: Value): Value {
  switch (bsonType(v)) {
    case 'long':
      return Long.fromNumber(0);
    case 'double':
      return new Double(0);
    default:
      return new Int32(0);
  }
}

function pullMatcher(arg: Value): (x: Value) => boolean {
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length > 0 && keys[0].startsWith('$') && !['$and', '$or', '$nor'].includes(keys[0])) {
      const f = compileFilter({ x: arg });
      return (x) => f.test({ x: Array.isArray(x) ? [x] : x });
    }
    const f = compileFilter(arg);
    return (x) => isDocument(x) && f.test(x as Doc);
  }
  return (x) => valuesEqual(x, arg);
}

function sortArray(arr: Value[], spec: Value): void {
  if (isPlainObject(spec)) {
    const fields = Object.entries(spec).map(([k, d]) => [k.split('.'), toDouble(d) < 0 ? -1 : 1] as const);
    arr.sort((a, b) => {
      for (const [parts, dir] of fields) {
        const va = getNested(a, parts);
        const vb = getNested(b, parts);
        const c = compareValues(va, vb);
        if (c !== 0) return c * dir;
      }
      return 0;
    });
  } else {
    const dir = toDouble(spec) < 0 ? -1 : 1;
    arr.sort((a, b) => compareValues(a, b) * dir);
  }
}

function getNested(v: Value, parts: readonly string[]): Maybe {
  let cur: Maybe = v;
  for (const p of parts) {
    if (cur === MISSING || !isDocument(cur)) return MISSING;
    const d = cur as Doc;
    cur = p in d ? d[p] : MISSING;
  }
  return cur;
}

function applyRename(doc: Doc, e: Entry, ctx: UpdateContext, filters: ArrayFilters): void {
  const target = String(e.arg);
  let value: Maybe = MISSING;
  visit(doc, e.parts, 0, ctx, filters, false, e.path, (parent, key) => {
    if (Array.isArray(parent))
      throw new CommandError(
        2,
        `The source field cannot be an array element, '${e.path}' in doc with ${idOf(doc)} has an array field called '${key}'`,
      );
    value = getAt(parent, key);
    if (value !== MISSING) delete parent[key];
  });
  if (value === MISSING) return;
  const v = value as Value;
  visit(doc, target.split('.'), 0, ctx, filters, true, target, (parent, key) => {
    if (Array.isArray(parent))
      throw new CommandError(
        2,
        `The destination field cannot be an array element, '${target}' in doc with ${idOf(doc)} has an array field called '${key}'`,
      );
    setAt(parent, key, v, target);
  });
}

/** Seed document for an upsert: equality fields of the query (including `_id`). */
export function upsertSeed(query: Value): Doc {
  const out: Doc = {};
  const add = (q: Value): void => {
    if (!isPlainObject(q)) return;
    for (const [k, v] of Object.entries(q)) {
      if (k === '$and') {
        if (Array.isArray(v)) v.forEach(add);
        continue;
      }
      if (k.startsWith('$')) continue;
      let val: Value;
      if (isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v)[0].startsWith('$')) {
        if ('$eq' in v) val = v.$eq;
        else continue;
      } else if (bsonType(v) === 'regex') continue;
      else val = v;
      setPathCreating(out, k.split('.'), cloneValue(val));
    }
  };
  add(query);
  if ('_id' in out) {
    const { _id, ...rest } = out;
    return { _id, ...rest };
  }
  return out;
}

function setPathCreating(doc: Doc, parts: string[], value: Value): void {
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (!isPlainObject(next)) cur[parts[i]] = {};
    cur = cur[parts[i]] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}
