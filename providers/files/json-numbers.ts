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

/** A `"$key":` just before a literal (Extended JSON's own numbers). */
const DOLLAR_KEY = /"\$[^"]*"\s*:\s*$/;

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Rewrites the number literals of one JSON text that JavaScript would change (see numberFromLiteral)
 * into canonical wrappers; returns the text itself when there are none. Throws TooDeep when objects and
 * arrays nest deeper than MAX_JSON_DEPTH. Invalid JSON is left for the JSON parser to report.
 *
 * One pass over the text: strings are skipped with indexOf (a canonical export is mostly strings), number
 * literals (`-?\d+(\.\d+)?([eE][-+]?\d+)?`, as JSON writes them) and brackets are read outside them.
 */
export function keepNumberLiterals(text: string): string {
  let out: string[] | undefined;
  let last = 0;
  let depth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // To the closing quote: one not escaped by an odd number of backslashes.
      let q = text.indexOf('"', i + 1);
      for (;;) {
        if (q === -1) return out ? [...out, text.slice(last)].join('') : text; // unterminated: the parser says so
        let backslashes = 0;
        while (text.charCodeAt(q - 1 - backslashes) === 92 /* \ */) backslashes++;
        if (backslashes % 2 === 0) break;
        q = text.indexOf('"', q + 1);
      }
      i = q + 1;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_JSON_DEPTH) throw new TooDeep();
      i++;
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      i++;
      continue;
    }
    const start = i;
    let j = c === 45 /* - */ ? i + 1 : i;
    if (!isDigit(text.charCodeAt(j))) {
      i++;
      continue;
    }
    while (isDigit(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === 46 /* . */ && isDigit(text.charCodeAt(j + 1))) {
      j += 2;
      while (isDigit(text.charCodeAt(j))) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 101 /* e */ || e === 69 /* E */) {
      let k = j + 1;
      const sign = text.charCodeAt(k);
      if (sign === 43 /* + */ || sign === 45 /* - */) k++;
      if (isDigit(text.charCodeAt(k))) {
        while (isDigit(text.charCodeAt(k))) k++;
        j = k;
      }
    }
    i = j;
    const token = text.slice(start, j);
    const value = numberFromLiteral(token);
    if (typeof value === 'number') continue;
    if (DOLLAR_KEY.test(text.slice(Math.max(0, start - 64), start))) continue;
    (out ??= []).push(text.slice(last, start), JSON.stringify(value));
    last = j;
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
