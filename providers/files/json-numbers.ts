/**
 * Plain JSON numbers keep what the literal says, as mongoimport does: a literal with a decimal point or
 * an exponent is a Double (`10.0`, `0.0`, `1e3`); an integer that fits Int32 is an Int32, a larger one an
 * Int64 (exact: `9007199254740993` stays …993), one beyond Int64 a Double; `-0` is the Int32 0.
 *
 * JavaScript reads every number into a double, so the literal's text is needed: the JSON reader gets it
 * from stream-json's tokens, the JSON Lines reader from `keepNumberLiterals`, which rewrites the few
 * literals JavaScript would change into canonical Extended JSON wrappers (`{"$numberDouble":"10.0"}`)
 * before Extended JSON parsing. Every other literal is left as it is: Extended JSON (canonical) already
 * makes the right type of it. A number that is the value of a `$` key (`{"$date": 1700000000000}`) is
 * Extended JSON's own business and is left alone. The same pass refuses JSON nested deeper than
 * MongoDB stores (a clear error instead of a stack overflow).
 */
import { CutoverError } from '../api/index';

/** MongoDB stores documents nested at most 100 levels deep (each object or array is a level). */
export const MAX_JSON_DEPTH = 100;

export type LiteralValue = number | { $numberDouble: string } | { $numberLong: string } | { $numberInt: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * What a JSON number literal becomes: a JavaScript number when Extended JSON (canonical) turns it into
 * the right BSON type by itself, else a canonical wrapper that says the type.
 */
export function numberFromLiteral(text: string): LiteralValue {
  if (isDecimalOrExponent(text)) {
    const value = Number(text);
    // Integral values (10.0, 1e3, -0.0) would come back as Int32 / Int64: say they are doubles.
    return Number.isInteger(value) ? { $numberDouble: text } : value;
  }
  const digits = text.charCodeAt(0) === 45 /* - */ ? text.length - 1 : text.length;
  if (digits <= 15) {
    if (text === '-0') return { $numberInt: '0' };
    return Number(text); // exact in a double: Int32 when it fits, else Int64
  }
  const big = BigInt(text);
  return big >= INT64_MIN && big <= INT64_MAX ? { $numberLong: big.toString() } : { $numberDouble: text };
}

function isDecimalOrExponent(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */) return true;
  }
  return false;
}

/** Strings (skipped), number literals, and the brackets that make nesting. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[[{]|[\]}]/g;
/** A `"$key":` just before a literal (Extended JSON's own numbers). */
const DOLLAR_KEY = /"\$[^"]*"\s*:\s*$/;

/**
 * Rewrites the number literals of one JSON text that JavaScript would change (see numberFromLiteral)
 * into canonical wrappers; returns the text itself when there are none. Throws TooDeep when objects and
 * arrays nest deeper than MAX_JSON_DEPTH. Invalid JSON is left for the JSON parser to report.
 */
export function keepNumberLiterals(text: string): string {
  let out: string[] | undefined;
  let last = 0;
  let depth = 0;
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
    const token = m[0];
    const c = token.charCodeAt(0);
    if (c === 34 /* " */) continue;
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_JSON_DEPTH) throw new TooDeep();
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      continue;
    }
    const value = numberFromLiteral(token);
    if (typeof value === 'number') continue;
    if (DOLLAR_KEY.test(text.slice(Math.max(0, m.index - 64), m.index))) continue;
    (out ??= []).push(text.slice(last, m.index), JSON.stringify(value));
    last = m.index + token.length;
  }
  if (!out) return text;
  out.push(text.slice(last));
  return out.join('');
}

/** JSON nested deeper than MAX_JSON_DEPTH (the caller names where). */
export class TooDeep extends CutoverError {
  override name = 'TooDeep';
  constructor() {
    super(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
