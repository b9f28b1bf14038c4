/**
 * Query filter matcher with mongod semantics: typed comparisons with type bracketing, array
 * traversal, $type by alias/code, $elemMatch, $all, $expr, positional match tracking.
 */
import { compareValues, regexParts, stringOf, typeRank, valuesEqual, type StringCollator } from './compare.js';
import { CommandError } from './errors.js';
import { evaluate, expressionFields, isTruthy, toJsRegExp } from './expr.js';
import { compileJsonSchema } from './jsonschema.js';
import { leaves, topField, type Leaf } from './path.js';
import {
  bsonType,
  BSONRegExp,
  isDocument,
  isNumber,
  isPlainObject,
  MISSING,
  toDouble,
  TYPE_CODES,
  type BsonTypeName,
  type Doc,
  type Maybe,
  type Value,
} from './values.js';

export interface MatchContext {
  /** first array index matched along the path (positional `$` update operator) */
  arrayIndex?: number;
}

export type DocPredicate = (doc: Doc, ctx: MatchContext) => boolean;
type ValuePredicate = (v: Maybe) => boolean;

export interface CompiledFilter {
  test(doc: Doc, ctx?: MatchContext): boolean;
  /** top-level fields read by the filter; null = the whole document is needed */
  fields: Set<string> | null;
  /** the filter is empty: everything matches */
  matchesAll: boolean;
}

export interface MatchOptions {
  collator?: StringCollator;
}

const nullish = (v: Maybe): boolean => v === MISSING || v === null || v === undefined;

function isOperatorObject(v: Value): v is Doc {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

export function compileFilter(filter: Value | undefined, opts: MatchOptions = {}): CompiledFilter {
  if (filter === undefined || filter === null) return { test: () => true, fields: new Set(), matchesAll: true };
  if (!isPlainObject(filter)) throw new CommandError(2, 'query filter must be an object');
  const fields = new Set<string>();
  const state = { needsAll: false };
  const pred = compileDoc(filter, opts, fields, state);
  const matchesAll = Object.keys(filter).every((k) => k === '$comment');
  return {
    test: (doc, ctx = {}) => pred(doc, ctx),
    fields: state.needsAll ? null : fields,
    matchesAll,
  };
}

interface CompileState {
  needsAll: boolean;
}

function compileDoc(filter: Doc, opts: MatchOptions, fields: Set<string>, state: CompileState): DocPredicate {
  const preds: DocPredicate[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) {
      preds.push(compileTopOperator(key, value, opts, fields, state));
      continue;
    }
    fields.add(topField(key));
    preds.push(compileField(key, value, opts));
  }
  if (preds.length === 1) return preds[0];
  return (doc, ctx) => {
    for (const p of preds) if (!p(doc, ctx)) return false;
    return true;
  };
}

function compileTopOperator(
  op: string,
  value: Value,
  opts: MatchOptions,
  fields: Set<string>,
  state: CompileState,
): DocPredicate {
  switch (op) {
    case '$and':
    case '$or':
    case '$nor': {
      if (!Array.isArray(value) || value.length === 0)
        throw new CommandError(2, `${op} argument must be a non-empty array`);
      const subs = value.map((v) => {
        if (!isPlainObject(v)) throw new CommandError(2, `${op} argument's entries must be objects`);
        return compileDoc(v, opts, fields, state);
      });
      if (op === '$and') return (doc, ctx) => subs.every((s) => s(doc, ctx));
      if (op === '$or') return (doc, ctx) => subs.some((s) => s(doc, ctx));
      return (doc, ctx) => !subs.some((s) => s(doc, ctx));
    }
    case '$expr': {
      if (!expressionFields(value, fields)) state.needsAll = true;
      return (doc) => isTruthy(evaluate(value, { root: doc, vars: new Map() }));
    }
    case '$comment':
      return () => true;
    case '$alwaysTrue':
      return () => true;
    case '$alwaysFalse':
      return () => false;
    case '$jsonSchema': {
      state.needsAll = true;
      const schema = compileJsonSchema(value);
      return (doc) => schema(doc);
    }
    case '$where':
      throw new CommandError(2, '$where is not supported by the Cutover test server');
    case '$text':
      throw new CommandError(27, 'text index required for $text query');
    default:
      throw new CommandError(
        2,
        `unknown top level operator: ${op}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
      );
  }
}

function compileField(path: string, value: Value, opts: MatchOptions): DocPredicate {
  const parts = path.split('.');
  const get: Getter = (doc: Doc): Leaf[] => leaves(doc, parts);
  if (parts.length === 1) get.single = parts[0];
  if (isOperatorObject(value)) return compileOperators(path, value, get, opts);
  if (value instanceof BSONRegExp || value instanceof RegExp) {
    const test = regexTest(value);
    return anyLeaf(get, (v) => test(v) || (bsonType(v) === 'regex' && valuesEqual(v, value)));
  }
  const eq = equalityTest(value, opts);
  return anyLeaf(get, eq);
}

/** Resolves a path to its leaves; `single` is set for top-level (undotted) paths. */
type Getter = ((doc: Doc) => Leaf[]) & { single?: string };

const hasOwn = Object.prototype.hasOwnProperty;

/** True if some leaf (or, for array leaves, the array itself or one of its elements) satisfies `test`. */
function anyLeaf(get: Getter, test: ValuePredicate): DocPredicate {
  const key = get.single;
  if (key !== undefined) {
    // fast path for top-level fields: no leaf arrays
    return (doc, ctx) => {
      const v = hasOwn.call(doc, key) ? doc[key] : MISSING;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          if (test(v[i])) {
            if (ctx.arrayIndex === undefined) ctx.arrayIndex = i;
            return true;
          }
        }
      }
      return test(v);
    };
  }
  return (doc, ctx) => {
    for (const leaf of get(doc)) {
      const idx = leafMatchIndex(leaf, test);
      if (idx !== false) {
        if (ctx.arrayIndex === undefined) {
          if (leaf.arrayIndex !== undefined) ctx.arrayIndex = leaf.arrayIndex;
          else if (idx >= 0) ctx.arrayIndex = idx;
        }
        return true;
      }
    }
    return false;
  };
}

/** -1 when the leaf itself matched, the element index when an element matched, false otherwise. */
function leafMatchIndex(leaf: Leaf, test: ValuePredicate): number | false {
  const v = leaf.value;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (test(v[i])) return i;
    if (test(v)) return -1;
    return false;
  }
  return test(v) ? -1 : false;
}

function equalityTest(value: Value, opts: MatchOptions): ValuePredicate {
  if (value === null || value === undefined) return (v) => nullish(v);
  return (v) => v !== MISSING && valuesEqual(v, value, opts.collator);
}

function regexTest(re: BSONRegExp | RegExp | string, options = ''): ValuePredicate {
  let pattern: string;
  let flags: string;
  if (typeof re === 'string') {
    pattern = re;
    flags = options;
  } else {
    [pattern, flags] = regexParts(re);
    flags += options;
  }
  const js = toJsRegExp(pattern, flags);
  return (v) => {
    const t = bsonType(v);
    if (t !== 'string' && t !== 'symbol') return false;
    js.lastIndex = 0;
    return js.test(stringOf(v));
  };
}

function compareTest(op: '$gt' | '$gte' | '$lt' | '$lte', value: Value, opts: MatchOptions): ValuePredicate {
  const t = bsonType(value);
  if (t === 'minKey' || t === 'maxKey') {
    return (v) => {
      const c = compareValues(v === MISSING ? null : v, value);
      return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
    };
  }
  const rank = typeRank(value);
  const valueIsNaN = isNumber(value) && Number.isNaN(toDouble(value));
  return (v) => {
    const x = v === MISSING ? null : v;
    if (typeRank(x) !== rank) return false;
    if (rank === 10 && (valueIsNaN || Number.isNaN(toDouble(x)))) {
      return valueIsNaN && Number.isNaN(toDouble(x)) && (op === '$gte' || op === '$lte');
    }
    const c = compareValues(x, value, opts.collator);
    return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
  };
}

const TYPE_ALIASES = new Set<string>([...Object.keys(TYPE_CODES), 'number']);

function typeTest(spec: Value): ValuePredicate {
  const list = Array.isArray(spec) ? spec : [spec];
  const wanted = new Set<BsonTypeName | 'number'>();
  for (const s of list) {
    if (typeof s === 'string') {
      if (!TYPE_ALIASES.has(s)) throw new CommandError(2, `Unknown type name alias: ${s}`);
      wanted.add(s as BsonTypeName);
    } else if (isNumber(s)) {
      const code = toDouble(s);
      const name = (Object.entries(TYPE_CODES) as Array<[BsonTypeName, number]>).find(([, c]) => c === code)?.[0];
      if (!name) throw new CommandError(2, `Invalid numerical type code: ${code}`);
      wanted.add(name);
    } else throw new CommandError(14, 'type must be represented as a number or a string');
  }
  return (v) => {
    if (v === MISSING) return false;
    const t = bsonType(v);
    if (wanted.has(t)) return true;
    return wanted.has('number') && (t === 'int' || t === 'long' || t === 'double' || t === 'decimal');
  };
}

function inTest(list: Value, opts: MatchOptions): ValuePredicate {
  if (!Array.isArray(list)) throw new CommandError(2, '$in needs an array');
  const tests = list.map((x) => {
    if (isOperatorObject(x)) throw new CommandError(2, 'cannot nest $ under $in');
    if (x instanceof BSONRegExp || x instanceof RegExp) {
      const rt = regexTest(x);
      return (v: Maybe) => rt(v) || (bsonType(v) === 'regex' && valuesEqual(v, x));
    }
    return equalityTest(x, opts);
  });
  return (v) => tests.some((t) => t(v));
}

function compileOperators(path: string, ops: Doc, get: Getter, opts: MatchOptions): DocPredicate {
  const preds: DocPredicate[] = [];
  const keys = Object.keys(ops);
  for (const op of keys) {
    const value = ops[op];
    switch (op) {
      case '$eq':
        preds.push(anyLeaf(get, equalityTest(value, opts)));
        break;
      case '$ne': {
        const p = anyLeaf(get, equalityTest(value, opts));
        preds.push((doc) => !p(doc, {}));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (value instanceof BSONRegExp)
          throw new CommandError(2, `Can't have RegEx as arg to predicate over field '${path}'.`);
        preds.push(anyLeaf(get, compareTest(op, value, opts)));
        break;
      case '$in':
        preds.push(anyLeaf(get, inTest(value, opts)));
        break;
      case '$nin': {
        const p = anyLeaf(get, inTest(value, opts));
        preds.push((doc) => !p(doc, {}));
        break;
      }
      case '$exists': {
        const want = isTruthy(value);
        preds.push((doc) => get(doc).some((l) => l.value !== MISSING) === want);
        break;
      }
      case '$type':
        preds.push(anyLeaf(get, typeTest(value)));
        break;
      case '$regex': {
        const options = typeof ops.$options === 'string' ? ops.$options : '';
        if (!(typeof value === 'string' || value instanceof BSONRegExp))
          throw new CommandError(2, '$regex has to be a string');
        preds.push(anyLeaf(get, regexTest(value, options)));
        break;
      }
      case '$options':
        if (!('$regex' in ops)) throw new CommandError(2, '$options needs a $regex');
        break;
      case '$not': {
        let inner: DocPredicate;
        if (value instanceof BSONRegExp || value instanceof RegExp) inner = anyLeaf(get, regexTest(value));
        else if (isOperatorObject(value)) inner = compileOperators(path, value, get, opts);
        else throw new CommandError(2, '$not needs a regex or a document');
        preds.push((doc) => !inner(doc, {}));
        break;
      }
      case '$size': {
        if (!isNumber(value)) throw new CommandError(2, '$size needs a number');
        const n = toDouble(value);
        preds.push((doc) => get(doc).some((l) => Array.isArray(l.value) && l.value.length === n));
        break;
      }
      case '$all': {
        if (!Array.isArray(value)) throw new CommandError(2, '$all needs an array');
        if (value.length === 0) {
          preds.push(() => false);
          break;
        }
        const subs = value.map((x) => {
          if (isPlainObject(x) && '$elemMatch' in x) return compileOperators(path, x, get, opts);
          if (x instanceof BSONRegExp || x instanceof RegExp) return anyLeaf(get, regexTest(x));
          return anyLeaf(get, equalityTest(x, opts));
        });
        preds.push((doc, ctx) => subs.every((s) => s(doc, ctx)));
        break;
      }
      case '$elemMatch': {
        if (!isPlainObject(value)) throw new CommandError(2, '$elemMatch needs an Object');
        const elemTest = compileElemMatch(value, opts);
        preds.push((doc, ctx) => {
          for (const l of get(doc)) {
            if (!Array.isArray(l.value)) continue;
            for (let i = 0; i < l.value.length; i++) {
              if (elemTest(l.value[i])) {
                if (ctx.arrayIndex === undefined) ctx.arrayIndex = l.arrayIndex ?? i;
                return true;
              }
            }
          }
          return false;
        });
        break;
      }
      case '$mod': {
        if (!Array.isArray(value) || value.length !== 2)
          throw new CommandError(2, 'malformed mod, needs to be an array of 2 elements');
        const d = Math.trunc(toDouble(value[0]));
        const r = Math.trunc(toDouble(value[1]));
        if (d === 0) throw new CommandError(2, 'divisor cannot be 0');
        preds.push(
          anyLeaf(get, (v) => isNumber(v) && Number.isFinite(toDouble(v)) && Math.trunc(toDouble(v)) % d === r),
        );
        break;
      }
      case '$bitsAllSet':
      case '$bitsAnySet':
      case '$bitsAllClear':
      case '$bitsAnyClear': {
        const mask = Array.isArray(value)
          ? value.reduce<bigint>((m, b) => m | (1n << BigInt(toDouble(b))), 0n)
          : BigInt(Math.trunc(toDouble(value)));
        preds.push(
          anyLeaf(get, (v) => {
            if (!isNumber(v)) return false;
            const d = toDouble(v);
            if (!Number.isInteger(d)) return false;
            const x = BigInt.asUintN(64, BigInt(d));
            const set = x & mask;
            if (op === '$bitsAllSet') return set === mask;
            if (op === '$bitsAnySet') return set !== 0n;
            if (op === '$bitsAllClear') return set === 0n;
            return set !== mask;
          }),
        );
        break;
      }
      case '$comment':
        break;
      default:
        throw new CommandError(2, `unknown operator: ${op}`);
    }
  }
  return (doc, ctx) => {
    for (const p of preds) if (!p(doc, ctx)) return false;
    return true;
  };
}

/** $elemMatch: operator-only objects test the element as a value, others as a document query. */
function compileElemMatch(spec: Doc, opts: MatchOptions): ValuePredicate {
  const keys = Object.keys(spec);
  const valueOnly =
    keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$where'].includes(k));
  if (valueOnly) {
    const pred = compileOperators('v', spec, (d) => [{ value: hasOwn.call(d, 'v') ? d.v : MISSING }], opts);
    return (v) => pred({ v: v as Value }, {});
  }
  const sub = compileFilter(spec, opts);
  return (v) => isDocument(v) && sub.test(v as Doc);
}
