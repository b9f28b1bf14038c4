/**
 * Dotted-path resolution with MongoDB's implicit array traversal.
 */
import { isDocument, MISSING, type Doc, type Maybe, type Value } from './values.js';

export interface Leaf {
  value: Maybe;
  /** index within the first array traversed on the way to this leaf (for the positional `$` operator) */
  arrayIndex?: number;
}

const NUMERIC = /^\d+$/;

function walk(v: Maybe, parts: string[], i: number, firstIdx: number | undefined, out: Leaf[]): void {
  if (i === parts.length) {
    out.push({ value: v, arrayIndex: firstIdx });
    return;
  }
  if (Array.isArray(v)) {
    const p = parts[i];
    const before = out.length;
    if (NUMERIC.test(p)) {
      const idx = Number(p);
      if (idx < v.length) walk(v[idx], parts, i + 1, firstIdx ?? idx, out);
    }
    for (let j = 0; j < v.length; j++) {
      const el = v[j];
      if (isDocument(el)) walk(el, parts, i, firstIdx ?? j, out);
    }
    if (out.length === before) out.push({ value: MISSING, arrayIndex: firstIdx });
    return;
  }
  if (v !== MISSING && isDocument(v)) {
    const d = v as Doc;
    const p = parts[i];
    walk(Object.prototype.hasOwnProperty.call(d, p) ? d[p] : MISSING, parts, i + 1, firstIdx, out);
    return;
  }
  out.push({ value: MISSING, arrayIndex: firstIdx });
}

/** All values reachable at `path`, expanding arrays of documents (query semantics). */
export function leaves(doc: Value, path: string | string[]): Leaf[] {
  const parts = typeof path === 'string' ? path.split('.') : path;
  const out: Leaf[] = [];
  walk(doc, parts, 0, undefined, out);
  return out;
}

/**
 * The value at a dotted path without implicit array expansion except the aggregation rule:
 * traversing an array maps the remaining path over its document elements (result is an array).
 */
export function getPath(doc: Maybe, path: string | string[]): Maybe {
  const parts = typeof path === 'string' ? path.split('.') : path;
  let cur: Maybe = doc;
  for (let i = 0; i < parts.length; i++) {
    if (cur === MISSING || cur === null || cur === undefined) return MISSING;
    if (Array.isArray(cur)) {
      const rest = parts.slice(i);
      const mapped: Value[] = [];
      for (const el of cur) {
        if (Array.isArray(el)) {
          const r = getPath(el, rest);
          if (r !== MISSING) mapped.push(r as Value);
        } else if (isDocument(el)) {
          const r = getPath(el, rest);
          if (r !== MISSING) mapped.push(r as Value);
        }
      }
      return mapped;
    }
    if (!isDocument(cur)) return MISSING;
    const d = cur as Doc;
    cur = Object.prototype.hasOwnProperty.call(d, parts[i]) ? d[parts[i]] : MISSING;
  }
  return cur;
}

/** Plain lookup used by sort keys and index keys: descends documents and numeric array indexes. */
export function getPlain(doc: Maybe, parts: string[]): Maybe {
  let cur: Maybe = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) {
      if (!NUMERIC.test(p)) return MISSING;
      const idx = Number(p);
      cur = idx < cur.length ? cur[idx] : MISSING;
    } else if (cur !== MISSING && isDocument(cur)) {
      const d = cur as Doc;
      cur = Object.prototype.hasOwnProperty.call(d, p) ? d[p] : MISSING;
    } else return MISSING;
  }
  return cur;
}

export function topField(path: string): string {
  const i = path.indexOf('.');
  return i < 0 ? path : path.slice(0, i);
}
