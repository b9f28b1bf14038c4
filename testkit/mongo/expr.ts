/**
 * Aggregation expression evaluator ($project, $addFields, $group keys, $expr, ...).
 */
import { canonicalKey, compareValues, stringOf, valuesEqual } from './compare.js';
import { CommandError } from './errors.js';
import { getPath } from './path.js';
import {
  addNumbers,
  BSONRegExp,
  bsonType,
  Decimal128,
  divideNumbers,
  Double,
  Int32,
  isDocument,
  isNumber,
  Long,
  MISSING,
  multiplyNumbers,
  ObjectId,
  subtractNumbers,
  Timestamp,
  toDouble,
  wrapNumber,
  type Doc,
  type Maybe,
  type Value,
} from './values.js';

export type Vars = Map<string, Maybe>;

export interface EvalContext {
  root: Doc;
  vars: Vars;
}

export function isTruthy(v: Maybe): boolean {
  if (v === MISSING || v === null || v === undefined || v === false) return false;
  if (isNumber(v)) return toDouble(v) !== 0;
  return true;
}

const nullish = (v: Maybe): boolean => v === MISSING || v === null || v === undefined;

function unrecognized(op: string): CommandError {
  return new CommandError(168, `Unrecognized expression '${op}'`);
}

function resolveVariable(ref: string, ctx: EvalContext): Maybe {
  const body = ref.slice(2);
  const dot = body.indexOf('.');
  const name = dot < 0 ? body : body.slice(0, dot);
  let base: Maybe;
  if (name === 'ROOT') base = ctx.root;
  else if (name === 'CURRENT') base = ctx.vars.has('CURRENT') ? ctx.vars.get('CURRENT') : ctx.root;
  else if (name === 'REMOVE') return MISSING;
  else if (name === 'NOW') base = new Date();
  else if (ctx.vars.has(name)) base = ctx.vars.get(name);
  else throw new CommandError(17276, `Use of undefined variable: ${name}`);
  if (dot < 0) return base;
  return getPath(base, body.slice(dot + 1));
}

export function evaluate(expr: Value, ctx: EvalContext): Maybe {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return resolveVariable(expr, ctx);
    if (expr.startsWith('$')) {
      const current = ctx.vars.has('CURRENT') ? ctx.vars.get('CURRENT') : ctx.root;
      return getPath(current, expr.slice(1));
    }
    return expr;
  }
  if (Array.isArray(expr)) return expr.map((e) => toValue(evaluate(e, ctx)));
  if (isDocumentLiteral(expr)) {
    const d = expr as Doc;
    const keys = Object.keys(d);
    if (keys.length === 1 && keys[0].startsWith('$')) return evalOperator(keys[0], d[keys[0]], ctx);
    const out: Doc = {};
    for (const k of keys) {
      if (k.startsWith('$'))
        throw new CommandError(
          16410,
          `FieldPath field names may not start with '$'. Consider using $getField or $setField.`,
        );
      const v = evaluate(d[k], ctx);
      if (v !== MISSING) out[k] = v as Value;
    }
    return out;
  }
  return expr;
}

function isDocumentLiteral(v: Value): boolean {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** MISSING becomes null inside arrays (as mongod does). */
export function toValue(v: Maybe): Value {
  return v === MISSING ? null : v;
}

function args(operand: Value, ctx: EvalContext): Maybe[] {
  if (Array.isArray(operand)) return operand.map((e) => evaluate(e, ctx));
  return [evaluate(operand, ctx)];
}

function arityArgs(op: string, operand: Value, ctx: EvalContext, n: number): Maybe[] {
  const a = args(operand, ctx);
  if (a.length !== n)
    throw new CommandError(16020, `Expression ${op} takes exactly ${n} arguments. ${a.length} were passed in.`);
  return a;
}

function requireArray(op: string, v: Maybe): Value[] {
  if (!Array.isArray(v)) throw new CommandError(28765, `${op}'s argument must be an array, but is ${bsonType(v)}`);
  return v;
}

function sumValues(vals: Maybe[]): Value {
  let acc: Value = new Int32(0);
  for (const v of vals) {
    if (Array.isArray(v)) {
      for (const x of v) if (isNumber(x)) acc = addNumbers(acc, x);
    } else if (isNumber(v)) acc = addNumbers(acc, v);
  }
  return acc;
}

function numericList(vals: Maybe[]): Value[] {
  const out: Value[] = [];
  for (const v of vals) {
    if (Array.isArray(v))
      for (const x of v) {
        if (isNumber(x)) out.push(x);
      }
    else if (isNumber(v)) out.push(v as Value);
  }
  return out;
}

function flatNonNull(vals: Maybe[]): Value[] {
  const src = vals.length === 1 && Array.isArray(vals[0]) ? (vals[0] as Value[]) : vals;
  return src.filter((v) => !nullish(v)) as Value[];
}

function mathOp(op: string, v: Maybe, f: (x: number) => number): Maybe {
  if (nullish(v)) return null;
  if (!isNumber(v)) throw new CommandError(28765, `${op} only supports numeric types, not ${bsonType(v)}`);
  const r = f(toDouble(v));
  const t = bsonType(v);
  if (t === 'decimal') return Decimal128.fromStringWithRounding(String(r));
  if (
    (t === 'int' || t === 'long') &&
    Number.isInteger(r) &&
    ['$abs', '$ceil', '$floor', '$trunc', '$round'].includes(op)
  ) {
    return t === 'int' && Math.abs(r) <= 2147483647 ? new Int32(r) : Long.fromNumber(r);
  }
  return new Double(r);
}

function dateParts(op: string, v: Maybe): Date | null {
  if (nullish(v)) return null;
  if (v instanceof Date) return v;
  if (bsonType(v) === 'objectId') return (v as ObjectId).getTimestamp();
  if (v instanceof Timestamp) return new Date(v.t * 1000);
  throw new CommandError(16006, `can't convert from BSON type ${bsonType(v)} to Date`);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function formatDate(d: Date, format: string): string {
  return format.replace(/%([YmdHMSLjuUGVwzZ%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y':
        return pad(d.getUTCFullYear(), 4);
      case 'm':
        return pad(d.getUTCMonth() + 1, 2);
      case 'd':
        return pad(d.getUTCDate(), 2);
      case 'H':
        return pad(d.getUTCHours(), 2);
      case 'M':
        return pad(d.getUTCMinutes(), 2);
      case 'S':
        return pad(d.getUTCSeconds(), 2);
      case 'L':
        return pad(d.getUTCMilliseconds(), 3);
      case 'z':
        return '+0000';
      case 'Z':
        return '+000';
      case 'u':
        return String(d.getUTCDay() === 0 ? 7 : d.getUTCDay());
      case 'w':
        return String(d.getUTCDay() + 1);
      case '%':
        return '%';
      default:
        return `%${c}`;
    }
  });
}

export function toStringValue(v: Maybe): Maybe {
  if (nullish(v)) return null;
  const t = bsonType(v);
  switch (t) {
    case 'string':
    case 'symbol':
      return stringOf(v);
    case 'int':
    case 'long':
    case 'decimal':
      return String((v as { toString(): string }).toString());
    case 'double': {
      return String(toDouble(v));
    }
    case 'bool':
      return v ? 'true' : 'false';
    case 'objectId':
      return (v as ObjectId).toHexString();
    case 'date':
      return (v as Date).toISOString();
    default:
      throw new CommandError(241, `Unsupported conversion from ${t} to string in $convert with no onError value`);
  }
}

function convert(v: Maybe, to: string): Maybe {
  if (nullish(v)) return null;
  const t = bsonType(v);
  const fail = (): never => {
    throw new CommandError(241, `Unsupported conversion from ${t} to ${to} in $convert with no onError value`);
  };
  switch (to) {
    case 'string':
      return toStringValue(v);
    case 'int':
    case 'long':
    case 'double':
    case 'decimal': {
      let d: number;
      if (isNumber(v)) d = toDouble(v);
      else if (t === 'bool') d = v ? 1 : 0;
      else if (t === 'string') {
        d = Number(v);
        if (Number.isNaN(d) && v !== 'NaN') fail();
      } else if (t === 'date') d = (v as Date).getTime();
      else return fail();
      if (to === 'int') return new Int32(Math.trunc(d));
      if (to === 'long') return bsonType(v) === 'long' ? v : Long.fromNumber(Math.trunc(d));
      if (to === 'double') return new Double(d);
      return t === 'decimal'
        ? v
        : Decimal128.fromStringWithRounding(
            t === 'string' ? (v as string) : isNumber(v) ? String(v.toString()) : String(d),
          );
    }
    case 'bool':
      return isTruthy(v) || t === 'string';
    case 'objectId':
      if (t === 'objectId') return v;
      if (t === 'string' && ObjectId.isValid(v as string) && (v as string).length === 24)
        return new ObjectId(v as string);
      return fail();
    case 'date':
      if (t === 'date') return v;
      if (isNumber(v)) return new Date(toDouble(v));
      if (t === 'string') {
        const d = new Date(v as string);
        if (Number.isNaN(d.getTime())) fail();
        return d;
      }
      if (t === 'objectId') return (v as ObjectId).getTimestamp();
      return fail();
    default:
      throw new CommandError(2, `Unknown type name: ${to}`);
  }
}

const TYPE_NUMBER_TO_NAME: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  16: 'int',
  18: 'long',
  19: 'decimal',
};

function evalOperator(op: string, operand: Value, ctx: EvalContext): Maybe {
  switch (op) {
    case '$literal':
      return operand;
    // ---------------------------------------------------------------- arithmetic
    case '$add': {
      const a = args(operand, ctx);
      let acc: Value = new Int32(0);
      let date: Date | null = null;
      for (const v of a) {
        if (nullish(v)) return null;
        if (v instanceof Date) {
          if (date) throw new CommandError(16612, 'only one date allowed in an $add expression');
          date = v;
        } else if (isNumber(v)) acc = addNumbers(acc, v);
        else throw new CommandError(16554, `$add only supports numeric or date types, not ${bsonType(v)}`);
      }
      return date ? new Date(date.getTime() + toDouble(acc)) : acc;
    }
    case '$subtract': {
      const [a, b] = arityArgs(op, operand, ctx, 2);
      if (nullish(a) || nullish(b)) return null;
      if (a instanceof Date && b instanceof Date) return Long.fromNumber(a.getTime() - b.getTime());
      if (a instanceof Date && isNumber(b)) return new Date(a.getTime() - toDouble(b));
      if (isNumber(a) && isNumber(b)) return subtractNumbers(a, b);
      throw new CommandError(16556, `cant $subtract a ${bsonType(b)} from a ${bsonType(a)}`);
    }
    case '$multiply': {
      let acc: Value = new Int32(1);
      for (const v of args(operand, ctx)) {
        if (nullish(v)) return null;
        if (!isNumber(v)) throw new CommandError(16555, `$multiply only supports numeric types, not ${bsonType(v)}`);
        acc = multiplyNumbers(acc, v);
      }
      return acc;
    }
    case '$divide': {
      const [a, b] = arityArgs(op, operand, ctx, 2);
      if (nullish(a) || nullish(b)) return null;
      if (!isNumber(a) || !isNumber(b))
        throw new CommandError(16609, `$divide only supports numeric types, not ${bsonType(a)} and ${bsonType(b)}`);
      if (toDouble(b) === 0) throw new CommandError(2, "can't $divide by zero");
      return divideNumbers(a, b);
    }
    case '$mod': {
      const [a, b] = arityArgs(op, operand, ctx, 2);
      if (nullish(a) || nullish(b)) return null;
      if (toDouble(b) === 0) throw new CommandError(16610, "can't $mod by zero");
      const r = toDouble(a) % toDouble(b);
      return bsonType(a) === 'double' || bsonType(b) === 'double' ? new Double(r) : wrapNumber(r);
    }
    case '$abs':
      return mathOp(op, args(operand, ctx)[0], Math.abs);
    case '$ceil':
      return mathOp(op, args(operand, ctx)[0], Math.ceil);
    case '$floor':
      return mathOp(op, args(operand, ctx)[0], Math.floor);
    case '$trunc':
      return mathOp(op, args(operand, ctx)[0], Math.trunc);
    case '$sqrt':
      return mathOp(op, args(operand, ctx)[0], Math.sqrt);
    case '$exp':
      return mathOp(op, args(operand, ctx)[0], Math.exp);
    case '$ln':
      return mathOp(op, args(operand, ctx)[0], Math.log);
    case '$log10':
      return mathOp(op, args(operand, ctx)[0], Math.log10);
    case '$round': {
      const a = args(operand, ctx);
      const places = a.length > 1 ? toDouble(a[1]) : 0;
      const f = 10 ** places;
      return mathOp(op, a[0], (x) => Math.round(x * f) / f);
    }
    case '$pow': {
      const [a, b] = arityArgs(op, operand, ctx, 2);
      if (nullish(a) || nullish(b)) return null;
      const r = toDouble(a) ** toDouble(b);
      return bsonType(a) === 'double' || bsonType(b) === 'double' || !Number.isInteger(r)
        ? new Double(r)
        : wrapNumber(r);
    }
    // ---------------------------------------------------------------- comparison
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
    case '$cmp': {
      const [a, b] = arityArgs(op, operand, ctx, 2);
      const c = compareValues(a === MISSING ? null : a, b === MISSING ? null : b);
      switch (op) {
        case '$eq':
          return c === 0;
        case '$ne':
          return c !== 0;
        case '$gt':
          return c > 0;
        case '$gte':
          return c >= 0;
        case '$lt':
          return c < 0;
        case '$lte':
          return c <= 0;
        default:
          return new Int32(c);
      }
    }
    // ---------------------------------------------------------------- boolean
    case '$and':
      return (Array.isArray(operand) ? operand : [operand]).every((e) => isTruthy(evaluate(e, ctx)));
    case '$or':
      return (Array.isArray(operand) ? operand : [operand]).some((e) => isTruthy(evaluate(e, ctx)));
    case '$not':
      return !isTruthy(args(operand, ctx)[0]);
    // ---------------------------------------------------------------- conditional
    case '$cond': {
      let ifE: Value;
      let thenE: Value;
      let elseE: Value;
      if (Array.isArray(operand)) {
        if (operand.length !== 3) throw new CommandError(16020, 'Expression $cond takes exactly 3 arguments.');
        [ifE, thenE, elseE] = operand;
      } else {
        const d = operand as Doc;
        ifE = d.if;
        thenE = d.then;
        elseE = d.else;
      }
      return isTruthy(evaluate(ifE, ctx)) ? evaluate(thenE, ctx) : evaluate(elseE, ctx);
    }
    case '$ifNull': {
      const list = operand as Value[];
      for (let i = 0; i < list.length - 1; i++) {
        const v = evaluate(list[i], ctx);
        if (!nullish(v)) return v;
      }
      return evaluate(list[list.length - 1], ctx);
    }
    case '$switch': {
      const d = operand as Doc;
      for (const br of (d.branches as Doc[]) ?? []) if (isTruthy(evaluate(br.case, ctx))) return evaluate(br.then, ctx);
      if (d.default === undefined)
        throw new CommandError(
          40066,
          '$switch could not find a matching branch for an input, and no default was specified.',
        );
      return evaluate(d.default, ctx);
    }
    // ---------------------------------------------------------------- strings
    case '$concat': {
      let s = '';
      for (const v of args(operand, ctx)) {
        if (nullish(v)) return null;
        if (typeof v !== 'string') throw new CommandError(16702, `$concat only supports strings, not ${bsonType(v)}`);
        s += v;
      }
      return s;
    }
    case '$toLower':
    case '$toUpper': {
      const v = args(operand, ctx)[0];
      if (nullish(v)) return '';
      const s = String(toStringValue(v));
      return op === '$toLower' ? s.toLowerCase() : s.toUpperCase();
    }
    case '$toString':
      return toStringValue(args(operand, ctx)[0]);
    case '$substr':
    case '$substrBytes':
    case '$substrCP': {
      const [s, start, len] = arityArgs(op, operand, ctx, 3);
      if (nullish(s)) return '';
      const str = String(toStringValue(s));
      const st = toDouble(start);
      const ln = toDouble(len);
      if (op === '$substrCP')
        return Array.from(str)
          .slice(st, ln < 0 ? undefined : st + ln)
          .join('');
      const bytes = Buffer.from(str, 'utf8');
      return bytes.subarray(st, ln < 0 ? undefined : st + ln).toString('utf8');
    }
    case '$strLenCP': {
      const v = args(operand, ctx)[0];
      if (typeof v !== 'string')
        throw new CommandError(34471, `$strLenCP requires a string argument, found: ${bsonType(v)}`);
      return new Int32(Array.from(v).length);
    }
    case '$strLenBytes': {
      const v = args(operand, ctx)[0];
      if (typeof v !== 'string')
        throw new CommandError(34473, `$strLenBytes requires a string argument, found: ${bsonType(v)}`);
      return new Int32(Buffer.byteLength(v, 'utf8'));
    }
    case '$split': {
      const [s, d] = arityArgs(op, operand, ctx, 2);
      if (nullish(s)) return null;
      return String(s).split(String(d));
    }
    case '$trim':
    case '$ltrim':
    case '$rtrim': {
      const d = operand as Doc;
      const input = evaluate(d.input, ctx);
      if (nullish(input)) return null;
      const chars = d.chars === undefined ? null : String(evaluate(d.chars, ctx));
      let s = String(input);
      const isTrim = (c: string): boolean => (chars === null ? /\s|\0/.test(c) : chars.includes(c));
      if (op !== '$rtrim') while (s.length && isTrim(s[0])) s = s.slice(1);
      if (op !== '$ltrim') while (s.length && isTrim(s[s.length - 1])) s = s.slice(0, -1);
      return s;
    }
    case '$indexOfCP':
    case '$indexOfBytes': {
      const a = args(operand, ctx);
      if (nullish(a[0])) return null;
      return new Int32(String(a[0]).indexOf(String(a[1]), a[2] === undefined ? 0 : toDouble(a[2])));
    }
    case '$regexMatch':
    case '$regexFind': {
      const d = operand as Doc;
      const input = evaluate(d.input, ctx);
      const re = evaluate(d.regex, ctx);
      const opts = d.options === undefined ? '' : String(evaluate(d.options, ctx));
      let pattern: string;
      let flags = opts;
      if (re instanceof BSONRegExp) {
        pattern = re.pattern;
        flags = re.options + opts;
      } else pattern = String(re);
      if (typeof input !== 'string') return op === '$regexMatch' ? false : null;
      const m = toJsRegExp(pattern, flags).exec(input);
      if (op === '$regexMatch') return m !== null;
      return m
        ? { match: m[0], idx: new Int32(m.index), captures: m.slice(1).map((c) => (c === undefined ? null : c)) }
        : null;
    }
    // ---------------------------------------------------------------- arrays
    case '$size': {
      const v = args(operand, ctx)[0];
      if (!Array.isArray(v))
        throw new CommandError(
          17124,
          `The argument to $size must be an array. Type of argument: ${bsonType(v) === 'missing' ? 'missing' : bsonType(v)}`,
        );
      return new Int32(v.length);
    }
    case '$arrayElemAt': {
      const [arr, idx] = arityArgs(op, operand, ctx, 2);
      if (nullish(arr) || nullish(idx)) return null;
      const a = requireArray(op, arr);
      let i = toDouble(idx);
      if (i < 0) i = a.length + i;
      return i >= 0 && i < a.length ? a[i] : MISSING;
    }
    case '$first':
    case '$last': {
      const v = args(operand, ctx)[0];
      if (nullish(v)) return null;
      const a = requireArray(op, v);
      if (a.length === 0) return MISSING;
      return op === '$first' ? a[0] : a[a.length - 1];
    }
    case '$in': {
      const [v, arr] = arityArgs(op, operand, ctx, 2);
      const a = requireArray(op, arr);
      return a.some((x) => valuesEqual(x, v === MISSING ? null : v));
    }
    case '$indexOfArray': {
      const a = args(operand, ctx);
      if (nullish(a[0])) return null;
      const arr = requireArray(op, a[0]);
      const start = a[2] === undefined ? 0 : toDouble(a[2]);
      const end = a[3] === undefined ? arr.length : toDouble(a[3]);
      for (let i = start; i < Math.min(end, arr.length); i++) if (valuesEqual(arr[i], a[1])) return new Int32(i);
      return new Int32(-1);
    }
    case '$concatArrays': {
      const out: Value[] = [];
      for (const v of args(operand, ctx)) {
        if (nullish(v)) return null;
        out.push(...requireArray(op, v));
      }
      return out;
    }
    case '$isArray':
      return Array.isArray(args(operand, ctx)[0]);
    case '$reverseArray': {
      const v = args(operand, ctx)[0];
      if (nullish(v)) return null;
      return [...requireArray(op, v)].reverse();
    }
    case '$slice': {
      const a = args(operand, ctx);
      if (nullish(a[0])) return null;
      const arr = requireArray(op, a[0]);
      if (a.length === 2) {
        const n = toDouble(a[1]);
        return n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(arr.length + n, 0));
      }
      let pos = toDouble(a[1]);
      if (pos < 0) pos = Math.max(arr.length + pos, 0);
      return arr.slice(pos, pos + toDouble(a[2]));
    }
    case '$range': {
      const a = args(operand, ctx);
      const start = toDouble(a[0]);
      const end = toDouble(a[1]);
      const step = a[2] === undefined ? 1 : toDouble(a[2]);
      const out: Value[] = [];
      if (step === 0) throw new CommandError(34449, '$range requires a non-zero step value');
      for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(new Int32(i));
      return out;
    }
    case '$filter': {
      const d = operand as Doc;
      const input = evaluate(d.input, ctx);
      if (nullish(input)) return null;
      const as = typeof d.as === 'string' ? d.as : 'this';
      const out: Value[] = [];
      const limit = d.limit === undefined ? Infinity : toDouble(evaluate(d.limit, ctx));
      for (const el of requireArray(op, input)) {
        if (out.length >= limit) break;
        const vars = new Map(ctx.vars);
        vars.set(as, el);
        if (isTruthy(evaluate(d.cond, { root: ctx.root, vars }))) out.push(el);
      }
      return out;
    }
    case '$map': {
      const d = operand as Doc;
      const input = evaluate(d.input, ctx);
      if (nullish(input)) return null;
      const as = typeof d.as === 'string' ? d.as : 'this';
      return requireArray(op, input).map((el) => {
        const vars = new Map(ctx.vars);
        vars.set(as, el);
        return toValue(evaluate(d.in, { root: ctx.root, vars }));
      });
    }
    case '$reduce': {
      const d = operand as Doc;
      const input = evaluate(d.input, ctx);
      if (nullish(input)) return null;
      let acc = evaluate(d.initialValue, ctx);
      for (const el of requireArray(op, input)) {
        const vars = new Map(ctx.vars);
        vars.set('this', el);
        vars.set('value', acc);
        acc = evaluate(d.in, { root: ctx.root, vars });
      }
      return acc;
    }
    case '$objectToArray': {
      const v = args(operand, ctx)[0];
      if (nullish(v)) return null;
      if (!isDocument(v))
        throw new CommandError(40390, `$objectToArray requires a document input, found: ${bsonType(v)}`);
      return Object.entries(v as Doc).map(([k, x]) => ({ k, v: x }));
    }
    case '$arrayToObject': {
      const v = args(operand, ctx)[0];
      if (nullish(v)) return null;
      const out: Doc = {};
      for (const el of requireArray(op, v)) {
        if (Array.isArray(el)) out[String(el[0])] = el[1];
        else if (isDocument(el)) out[String((el as Doc).k)] = (el as Doc).v;
      }
      return out;
    }
    case '$setUnion':
    case '$setIntersection':
    case '$setDifference':
    case '$setEquals':
    case '$setIsSubset': {
      const a = args(operand, ctx).map((x) => (nullish(x) ? null : requireArray(op, x)));
      if (a.some((x) => x === null)) return op === '$setEquals' || op === '$setIsSubset' ? false : null;
      const sets = a as Value[][];
      const uniq = (xs: Value[]): Value[] => {
        const seen = new Set<string>();
        return xs.filter((x) => {
          const k = canonicalKey(x);
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
      };
      const has = (xs: Value[], v: Value): boolean => xs.some((x) => valuesEqual(x, v));
      if (op === '$setUnion') return uniq(sets.flat());
      if (op === '$setIntersection') return uniq(sets[0] ?? []).filter((x) => sets.every((s) => has(s, x)));
      if (op === '$setDifference') return uniq(sets[0]).filter((x) => !has(sets[1], x));
      if (op === '$setIsSubset') return sets[0].every((x) => has(sets[1], x));
      return sets.every((s) => s.every((x) => has(sets[0], x)) && sets[0].every((x) => has(s, x)));
    }
    case '$allElementsTrue':
      return requireArray(op, args(operand, ctx)[0]).every(isTruthy);
    case '$anyElementTrue':
      return requireArray(op, args(operand, ctx)[0]).some(isTruthy);
    // ---------------------------------------------------------------- accumulators as expressions
    case '$sum':
      return sumValues(args(operand, ctx));
    case '$avg': {
      const nums = numericList(args(operand, ctx));
      if (nums.length === 0) return null;
      let acc: Value = new Int32(0);
      for (const n of nums) acc = addNumbers(acc, n);
      return divideNumbers(acc, new Int32(nums.length));
    }
    case '$min':
    case '$max': {
      const vals = flatNonNull(args(operand, ctx));
      if (vals.length === 0) return null;
      return vals.reduce((m, v) =>
        op === '$min' ? (compareValues(v, m) < 0 ? v : m) : compareValues(v, m) > 0 ? v : m,
      );
    }
    // ---------------------------------------------------------------- types
    case '$type': {
      const v = args(operand, ctx)[0];
      return v === MISSING ? 'missing' : bsonType(v);
    }
    case '$isNumber':
      return isNumber(args(operand, ctx)[0]);
    case '$toInt':
      return convert(args(operand, ctx)[0], 'int');
    case '$toLong':
      return convert(args(operand, ctx)[0], 'long');
    case '$toDouble':
      return convert(args(operand, ctx)[0], 'double');
    case '$toDecimal':
      return convert(args(operand, ctx)[0], 'decimal');
    case '$toBool':
      return convert(args(operand, ctx)[0], 'bool');
    case '$toObjectId':
      return convert(args(operand, ctx)[0], 'objectId');
    case '$toDate':
      return convert(args(operand, ctx)[0], 'date');
    case '$convert': {
      const d = operand as Doc;
      const input = evaluate(d.input, ctx);
      let to = evaluate(d.to, ctx);
      if (isNumber(to)) to = TYPE_NUMBER_TO_NAME[toDouble(to)] ?? String(to);
      if (nullish(input) && d.onNull !== undefined) return evaluate(d.onNull, ctx);
      try {
        return convert(input, String(to));
      } catch (e) {
        if (d.onError !== undefined) return evaluate(d.onError, ctx);
        throw e;
      }
    }
    // ---------------------------------------------------------------- objects
    case '$mergeObjects': {
      const out: Doc = {};
      for (const v of args(operand, ctx)) {
        if (nullish(v)) continue;
        if (!isDocument(v))
          throw new CommandError(40400, `$mergeObjects requires object inputs, but input is of type ${bsonType(v)}`);
        Object.assign(out, v);
      }
      return out;
    }
    case '$getField': {
      const d =
        isDocumentLiteral(operand) && 'field' in (operand as Doc)
          ? (operand as Doc)
          : { field: operand, input: '$$CURRENT' };
      const field = String(evaluate(d.field, ctx));
      const input = evaluate(d.input ?? '$$CURRENT', ctx);
      if (!isDocument(input)) return MISSING;
      return Object.prototype.hasOwnProperty.call(input, field) ? (input as Doc)[field] : MISSING;
    }
    case '$let': {
      const d = operand as Doc;
      const vars = new Map(ctx.vars);
      for (const [k, v] of Object.entries((d.vars as Doc) ?? {})) vars.set(k, evaluate(v, ctx));
      return evaluate(d.in, { root: ctx.root, vars });
    }
    // ---------------------------------------------------------------- dates
    case '$year':
    case '$month':
    case '$dayOfMonth':
    case '$hour':
    case '$minute':
    case '$second':
    case '$millisecond':
    case '$dayOfWeek':
    case '$dayOfYear': {
      const raw = isDocumentLiteral(operand) && 'date' in (operand as Doc) ? (operand as Doc).date : operand;
      const d = dateParts(op, args(raw, ctx)[0]);
      if (!d) return null;
      const map: Record<string, number> = {
        $year: d.getUTCFullYear(),
        $month: d.getUTCMonth() + 1,
        $dayOfMonth: d.getUTCDate(),
        $hour: d.getUTCHours(),
        $minute: d.getUTCMinutes(),
        $second: d.getUTCSeconds(),
        $millisecond: d.getUTCMilliseconds(),
        $dayOfWeek: d.getUTCDay() + 1,
        $dayOfYear: Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1,
      };
      return new Int32(map[op]);
    }
    case '$dateToString': {
      const d = operand as Doc;
      const date = dateParts(op, evaluate(d.date, ctx));
      if (!date) return d.onNull !== undefined ? evaluate(d.onNull, ctx) : null;
      const format = d.format === undefined ? '%Y-%m-%dT%H:%M:%S.%LZ' : String(evaluate(d.format, ctx));
      return formatDate(date, format);
    }
    default:
      throw unrecognized(op);
  }
}

const regexCache = new Map<string, RegExp>();

/** Converts a PCRE-style pattern + mongod options (imsxu) to a JS RegExp. */
export function toJsRegExp(pattern: string, options: string): RegExp {
  const key = pattern + '\u0000' + options;
  let re = regexCache.get(key);
  if (re) return re;
  let src = pattern;
  if (options.includes('x')) {
    // extended: drop unescaped whitespace and #-comments outside character classes
    let out = '';
    let inClass = false;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') {
        out += c + (src[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      if (!inClass && /\s/.test(c)) continue;
      if (!inClass && c === '#') {
        while (i < src.length && src[i] !== '\n') i++;
        continue;
      }
      out += c;
    }
    src = out;
  }
  let flags = '';
  for (const f of new Set(options)) if ('ims'.includes(f)) flags += f;
  if (/[\u0080-\uffff]/.test(src) || options.includes('u')) flags += 'u';
  try {
    re = new RegExp(src, flags);
  } catch {
    try {
      re = new RegExp(src, flags.replace('u', ''));
    } catch (e) {
      throw new CommandError(51091, `Regular expression is invalid: ${(e as Error).message}`);
    }
  }
  if (regexCache.size > 1000) regexCache.clear();
  regexCache.set(key, re);
  return re;
}

/** Top-level field names an expression reads, or null when it needs the whole document. */
export function expressionFields(expr: Value, out: Set<string>): boolean {
  if (typeof expr === 'string') {
    if (expr === '$$ROOT' || expr === '$$CURRENT' || expr.startsWith('$$ROOT.') || expr.startsWith('$$CURRENT.')) {
      if (expr.startsWith('$$ROOT.') || expr.startsWith('$$CURRENT.')) {
        out.add(expr.slice(expr.indexOf('.') + 1).split('.')[0]);
        return true;
      }
      return false;
    }
    if (expr.startsWith('$$')) return true;
    if (expr.startsWith('$')) out.add(expr.slice(1).split('.')[0]);
    return true;
  }
  if (Array.isArray(expr)) return expr.every((e) => expressionFields(e, out));
  if (isDocumentLiteral(expr)) {
    for (const [k, v] of Object.entries(expr as Doc)) {
      if (k === '$literal') continue;
      if (!expressionFields(v, out)) return false;
    }
  }
  return true;
}
