/**
 * Rows flowing through find/aggregate: raw stored bytes (emitted verbatim when untouched) or a
 * decoded document. Also sort-key handling shared by find, aggregate and findAndModify.
 */
import { compareValues, type StringCollator } from './compare.js';
import { CommandError } from './errors.js';
import { leaves, topField } from './path.js';
import { decodeFields } from './rawbson.js';
import {
  decode,
  encode,
  isNumber,
  isPlainObject,
  MISSING,
  toDouble,
  type Doc,
  type Maybe,
  type Value,
} from './values.js';

export class Row {
  private full?: Doc;
  constructor(
    readonly raw: Buffer | undefined,
    doc?: Doc,
  ) {
    this.full = doc;
  }

  static ofDoc(doc: Doc): Row {
    return new Row(undefined, doc);
  }

  /** The whole decoded document (cached). */
  doc(): Doc {
    if (!this.full) this.full = decode(this.raw!);
    return this.full;
  }

  /** A document containing at least the named top-level fields. */
  fields(names: ReadonlySet<string> | null): Doc {
    if (this.full || names === null || !this.raw) return this.doc();
    return decodeFields(this.raw, names);
  }

  bytes(): Buffer {
    return this.raw ?? encode(this.full!);
  }
}

export interface SortField {
  parts: string[];
  dir: 1 | -1;
}

export interface SortSpec {
  fields: SortField[];
  topFields: Set<string>;
}

export function compileSort(spec: Value | undefined): SortSpec | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw new CommandError(2, 'sort must be an object');
  const fields: SortField[] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (isPlainObject(v) && '$meta' in v)
      throw new CommandError(2, '$meta sort is not supported by the Cutover test server');
    if (!isNumber(v)) throw new CommandError(2, `Illegal key in $sort specification: ${k}: ${String(v)}`);
    const d = toDouble(v);
    if (d !== 1 && d !== -1)
      throw new CommandError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    fields.push({ parts: k.split('.'), dir: d as 1 | -1 });
  }
  if (fields.length === 0) return null;
  return { fields, topFields: new Set(fields.map((f) => topField(f.parts.join('.')))) };
}

/** Sort key of a path: arrays contribute their smallest (asc) or largest (desc) element. */
export function sortKeyValue(doc: Doc, f: SortField, coll?: StringCollator): Maybe {
  const ls = leaves(doc, f.parts);
  let best: Maybe = MISSING;
  let first = true;
  for (const l of ls) {
    const vals: Maybe[] = Array.isArray(l.value) ? (l.value.length === 0 ? [undefined] : l.value) : [l.value];
    for (const v0 of vals) {
      const v = v0 === MISSING ? null : v0;
      if (first) {
        best = v;
        first = false;
        continue;
      }
      const c = compareValues(v, best, coll);
      if ((f.dir === 1 && c < 0) || (f.dir === -1 && c > 0)) best = v;
    }
  }
  return best === MISSING ? null : best;
}

export function sortRows(rows: Row[], sort: SortSpec, coll?: StringCollator): Row[] {
  const keyed = rows.map((row, i) => {
    const d = row.fields(sort.topFields);
    return { row, i, keys: sort.fields.map((f) => sortKeyValue(d, f, coll)) };
  });
  keyed.sort((a, b) => {
    for (let k = 0; k < sort.fields.length; k++) {
      const c = compareValues(a.keys[k], b.keys[k], coll);
      if (c !== 0) return c * sort.fields[k].dir;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.row);
}
