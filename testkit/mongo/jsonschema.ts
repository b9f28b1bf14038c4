/**
 * The subset of mongod's $jsonSchema needed for collection validators and queries.
 * Unsupported keywords are rejected instead of being silently ignored.
 */
import { canonicalKey, compareValues, valuesEqual } from './compare.js';
import { CommandError } from './errors.js';
import { toJsRegExp } from './expr.js';
import { bsonType, isDocument, isNumber, isPlainObject, toDouble, type Doc, type Value } from './values.js';

type Check = (v: Value) => boolean;

const JSON_TYPES: Record<string, string[]> = {
  object: ['object'],
  array: ['array'],
  number: ['int', 'long', 'double', 'decimal'],
  boolean: ['bool'],
  string: ['string'],
  null: ['null'],
};

const IGNORED = new Set(['description', 'title', '$comment']);

export function compileJsonSchema(schema: Value): (doc: Doc) => boolean {
  if (!isPlainObject(schema)) throw new CommandError(2, '$jsonSchema must be an object');
  const check = compileSchema(schema);
  return (doc) => check(doc);
}

function typeMatches(v: Value, names: string[]): boolean {
  const t = bsonType(v);
  return names.some((n) => n === t || (n === 'number' && isNumber(v)));
}

function compileSchema(s: Doc): Check {
  const checks: Check[] = [];
  for (const [kw, arg] of Object.entries(s)) {
    if (IGNORED.has(kw)) continue;
    switch (kw) {
      case 'bsonType': {
        const names = (Array.isArray(arg) ? arg : [arg]).map(String);
        checks.push((v) => typeMatches(v, names));
        break;
      }
      case 'type': {
        const names = (Array.isArray(arg) ? arg : [arg]).flatMap((n) => JSON_TYPES[String(n)] ?? [String(n)]);
        checks.push((v) => typeMatches(v, names));
        break;
      }
      case 'required': {
        const req = (arg as Value[]).map(String);
        checks.push((v) => !isDocument(v) || req.every((k) => Object.prototype.hasOwnProperty.call(v, k)));
        break;
      }
      case 'properties': {
        const props = Object.entries(arg as Doc).map(([k, sub]) => [k, compileSchema(sub as Doc)] as const);
        checks.push(
          (v) =>
            !isDocument(v) || props.every(([k, c]) => !Object.prototype.hasOwnProperty.call(v, k) || c((v as Doc)[k])),
        );
        break;
      }
      case 'additionalProperties': {
        const known = new Set(Object.keys((s.properties as Doc) ?? {}));
        const patterns = Object.keys((s.patternProperties as Doc) ?? {}).map((p) => toJsRegExp(p, ''));
        const extra: Check = arg === true ? () => true : arg === false ? () => false : compileSchema(arg as Doc);
        checks.push(
          (v) =>
            !isDocument(v) ||
            Object.entries(v as Doc).every(([k, x]) => known.has(k) || patterns.some((p) => p.test(k)) || extra(x)),
        );
        break;
      }
      case 'patternProperties': {
        const pats = Object.entries(arg as Doc).map(
          ([p, sub]) => [toJsRegExp(p, ''), compileSchema(sub as Doc)] as const,
        );
        checks.push(
          (v) =>
            !isDocument(v) || Object.entries(v as Doc).every(([k, x]) => pats.every(([re, c]) => !re.test(k) || c(x))),
        );
        break;
      }
      case 'enum': {
        const vals = arg as Value[];
        checks.push((v) => vals.some((e) => valuesEqual(e, v)));
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        if (kw.startsWith('exclusive')) break; // handled with minimum/maximum
        const excl = s[kw === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true;
        checks.push((v) => {
          if (!isNumber(v)) return true;
          const c = compareValues(v, arg);
          return kw === 'minimum' ? (excl ? c > 0 : c >= 0) : excl ? c < 0 : c <= 0;
        });
        break;
      }
      case 'minLength':
      case 'maxLength': {
        const n = toDouble(arg);
        checks.push((v) => typeof v !== 'string' || (kw === 'minLength' ? [...v].length >= n : [...v].length <= n));
        break;
      }
      case 'pattern': {
        const re = toJsRegExp(String(arg), '');
        checks.push((v) => typeof v !== 'string' || re.test(v));
        break;
      }
      case 'items': {
        if (Array.isArray(arg)) {
          const subs = arg.map((x) => compileSchema(x as Doc));
          checks.push((v) => !Array.isArray(v) || subs.every((c, i) => i >= v.length || c(v[i])));
        } else {
          const sub = compileSchema(arg as Doc);
          checks.push((v) => !Array.isArray(v) || v.every(sub));
        }
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const n = toDouble(arg);
        checks.push((v) => !Array.isArray(v) || (kw === 'minItems' ? v.length >= n : v.length <= n));
        break;
      }
      case 'uniqueItems':
        if (arg === true)
          checks.push((v) => !Array.isArray(v) || new Set(v.map((x) => canonicalKey(x))).size === v.length);
        break;
      case 'minProperties':
      case 'maxProperties': {
        const n = toDouble(arg);
        checks.push(
          (v) => !isDocument(v) || (kw === 'minProperties' ? Object.keys(v).length >= n : Object.keys(v).length <= n),
        );
        break;
      }
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        const subs = (arg as Doc[]).map(compileSchema);
        if (kw === 'allOf') checks.push((v) => subs.every((c) => c(v)));
        else if (kw === 'anyOf') checks.push((v) => subs.some((c) => c(v)));
        else checks.push((v) => subs.filter((c) => c(v)).length === 1);
        break;
      }
      case 'not': {
        const sub = compileSchema(arg as Doc);
        checks.push((v) => !sub(v));
        break;
      }
      default:
        throw new CommandError(2, `$jsonSchema keyword '${kw}' is not supported by the Cutover test server`);
    }
  }
  return (v) => checks.every((c) => c(v));
}
