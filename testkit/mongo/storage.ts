/**
 * In-memory storage: databases -> collections -> raw BSON documents in insertion order, the `_id`
 * index (a Map keyed by canonical `_id`), and secondary index specs with unique enforcement.
 */
import { UUID } from 'bson';
import { canonicalKey, collatorFor, compareValues, type StringCollator } from './compare.js';
import { CommandError } from './errors.js';
import { compileFilter, type CompiledFilter } from './match.js';
import { leaves, topField } from './path.js';
import { decodeFields, storedId } from './rawbson.js';
import { formatDoc } from './update.js';
import { Int32, isNumber, isPlainObject, MISSING, toDouble, type Doc, type Maybe, type Value } from './values.js';

export type CollectionType = 'collection' | 'view' | 'timeseries';

export class DuplicateKeyError extends CommandError {
  constructor(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc) {
    super(11000, `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatDoc(keyValue)}`, {
      keyPattern,
      keyValue,
    });
  }
}

export interface IndexInfo {
  name: string;
  /** the spec exactly as listIndexes returns it: { v, key, name, ...options } */
  spec: Doc;
  key: Doc;
  unique: boolean;
  sparse: boolean;
  partial: CompiledFilter | null;
  paths: string[][];
  topFields: Set<string>;
  collator?: StringCollator;
  /** unique indexes: index key -> idKey of the owning document */
  entries: Map<string, string> | null;
}

const MAX_EQUALITY_TABLES = 4;

/** The canonical keys an equality on a field can match: its value and, for an array, each element. */
function equalityKeys(value: Maybe): string[] {
  if (value === undefined || value === MISSING) return [];
  if (Array.isArray(value)) return [canonicalKey(value), ...value.map((v) => canonicalKey(v))];
  return [canonicalKey(value)];
}

function addEqualityEntries(table: Map<string, Set<string>>, idKey: string, value: Maybe): void {
  for (const key of equalityKeys(value)) {
    let owners = table.get(key);
    if (!owners) table.set(key, (owners = new Set()));
    owners.add(idKey);
  }
}

function removeEqualityEntries(table: Map<string, Set<string>>, idKey: string, value: Maybe): void {
  for (const key of equalityKeys(value)) {
    const owners = table.get(key);
    if (!owners) continue;
    owners.delete(idKey);
    if (owners.size === 0) table.delete(key);
  }
}

export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${typeof v === 'string' ? v : isNumber(v) ? String(toDouble(v)) : String(v)}`)
    .join('_');
}

export const ID_INDEX_SPEC = (): Doc => ({ v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' });

export class Collection {
  readonly docs = new Map<string, Buffer>();
  dataSize = 0;
  readonly indexes: IndexInfo[] = [];
  readonly uuid = new UUID();
  type: CollectionType = 'collection';
  options: Doc = {};
  validator: CompiledFilter | null = null;
  validationLevel = 'strict';
  validationAction = 'error';
  collator?: StringCollator;
  capped: { size: number; max: number } | null = null;
  /** documents examined by filter scans (serverStatus metrics.queryExecutor.scannedObjects sums them) */
  scannedObjects = 0;
  /** bumps on every insert/delete so cached orderings can be invalidated */
  version = 0;
  /** lazily built `_id` order, maintained incrementally (see sortedIds) */
  private sorted: { ids: Value[]; keys: string[] } | null = null;
  private sortedPending: Array<{ id: Value; key: string }> = [];
  private sortedRemoved = new Set<string>();
  /**
   * Lookup tables for unindexed equality filters (`{email: "a@b"}`, see executor.scan): field ->
   * canonical value -> keys of the documents holding it (the value, or an array element). Built on
   * first use, then kept up to date by insert/replace/delete, so repeated lookups (mongoimport
   * --mode merge/upsert/delete with --upsertFields) are not a scan each. The least recently used
   * table goes when there are more than MAX_EQUALITY_TABLES.
   */
  private equality = new Map<string, Map<string, Set<string>>>();

  constructor(
    public db: string,
    public name: string,
  ) {
    this.indexes.push(makeIndexInfo(ID_INDEX_SPEC()));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** (Re)applies collection options: type, validator, collation, capped limits. */
  applyOptions(options: Doc): void {
    this.options = options;
    this.type = options.viewOn !== undefined ? 'view' : options.timeseries !== undefined ? 'timeseries' : 'collection';
    this.validator =
      isPlainObject(options.validator) && Object.keys(options.validator).length > 0
        ? compileFilter(options.validator)
        : null;
    this.validationLevel = typeof options.validationLevel === 'string' ? options.validationLevel : 'strict';
    this.validationAction = typeof options.validationAction === 'string' ? options.validationAction : 'error';
    this.collator = collatorFor(options.collation);
    this.capped =
      options.capped === true
        ? {
            size: options.size === undefined ? Infinity : toDouble(options.size),
            max: options.max === undefined ? Infinity : toDouble(options.max),
          }
        : null;
    if (this.collator && this.indexes[0]?.name === '_id_' && this.indexes[0].spec.collation === undefined) {
      this.indexes[0] = makeIndexInfo({ ...ID_INDEX_SPEC(), collation: options.collation as Value });
    }
    if (this.type === 'view') this.indexes.length = 0;
    if (this.capped) this.evictCapped();
  }

  count(): number {
    return this.docs.size;
  }

  /** The equality lookup table of top-level `field` (see `equality`), built now if needed. */
  equalityTable(field: string): Map<string, Set<string>> {
    let table = this.equality.get(field);
    if (table) {
      this.equality.delete(field); // most recently used last
      this.equality.set(field, table);
      return table;
    }
    table = new Map();
    const names = new Set([field]);
    for (const [idKey, bytes] of this.docs) addEqualityEntries(table, idKey, decodeFields(bytes, names)[field]);
    this.equality.set(field, table);
    if (this.equality.size > MAX_EQUALITY_TABLES) this.equality.delete(this.equality.keys().next().value!);
    return table;
  }

  private updateEqualityTables(idKey: string, removed: Buffer | undefined, added: Buffer | undefined): void {
    if (this.equality.size === 0) return;
    const names = new Set(this.equality.keys());
    const before = removed ? decodeFields(removed, names) : undefined;
    const after = added ? decodeFields(added, names) : undefined;
    for (const [field, table] of this.equality) {
      if (before) removeEqualityEntries(table, idKey, before[field]);
      if (after) addEqualityEntries(table, idKey, after[field]);
    }
  }

  /**
   * `_id` values in BSON order with their document keys. Built once (O(n log n)); afterwards
   * inserts are merged in (O(n + k log k)) and deleted keys are dropped lazily. Entries may
   * refer to deleted documents between merges; callers skip keys missing from `docs`.
   */
  sortedIds(): { ids: Value[]; keys: string[] } {
    if (!this.sorted) {
      const entries: Array<{ id: Value; key: string }> = [];
      for (const [key, bytes] of this.docs) entries.push({ id: storedId(bytes), key });
      entries.sort((a, b) => compareValues(a.id, b.id));
      this.sorted = { ids: entries.map((e) => e.id), keys: entries.map((e) => e.key) };
      this.sortedPending = [];
      this.sortedRemoved.clear();
      return this.sorted;
    }
    if (this.sortedPending.length > 0 || this.sortedRemoved.size > this.sorted.keys.length / 4) {
      const pending = this.sortedPending
        .filter((e) => !this.sortedRemoved.has(e.key))
        .sort((a, b) => compareValues(a.id, b.id));
      const { ids, keys } = this.sorted;
      const outIds: Value[] = [];
      const outKeys: string[] = [];
      let i = 0;
      let j = 0;
      while (i < ids.length || j < pending.length) {
        if (i < ids.length && this.sortedRemoved.has(keys[i])) {
          i++;
          continue;
        }
        if (j >= pending.length || (i < ids.length && compareValues(ids[i], pending[j].id) <= 0)) {
          outIds.push(ids[i]);
          outKeys.push(keys[i]);
          i++;
        } else {
          outIds.push(pending[j].id);
          outKeys.push(pending[j].key);
          j++;
        }
      }
      this.sorted = { ids: outIds, keys: outKeys };
      this.sortedPending = [];
      this.sortedRemoved.clear();
    }
    return this.sorted;
  }

  idIndexSpec(): Doc | undefined {
    return this.indexes.find((i) => i.name === '_id_')?.spec;
  }

  /** Throws DuplicateKeyError (or validation errors) without modifying anything. */
  checkInsert(idKey: string, bytes: Buffer, decoded: Doc | null, ignoreSelf?: string): Doc | null {
    if (ignoreSelf === undefined && this.docs.has(idKey)) {
      throw new DuplicateKeyError(this.ns, '_id_', { _id: new Int32(1) }, { _id: storedId(bytes) });
    }
    let doc = decoded;
    for (const idx of this.indexes) {
      if (!idx.entries) continue;
      if (!doc) doc = decodeFields(bytes, this.uniqueFields());
      for (const [key, keyValue] of indexKeys(idx, doc)) {
        const owner = idx.entries.get(key);
        if (owner !== undefined && owner !== ignoreSelf)
          throw new DuplicateKeyError(this.ns, idx.name, idx.key, keyValue);
      }
    }
    return doc;
  }

  private uniqueFieldsCache: Set<string> | null | undefined;
  uniqueFields(): Set<string> | null {
    if (this.uniqueFieldsCache !== undefined) return this.uniqueFieldsCache;
    let out: Set<string> | null = new Set<string>();
    for (const idx of this.indexes) {
      if (!idx.entries) continue;
      for (const f of idx.topFields) out.add(f);
      if (idx.partial) {
        if (idx.partial.fields === null) out = null;
        else for (const f of idx.partial.fields) out?.add(f);
      }
      if (out === null) break;
    }
    this.uniqueFieldsCache = out;
    return out;
  }

  hasUniqueSecondary(): boolean {
    return this.indexes.some((i) => i.entries !== null);
  }

  /** Inserts a prepared document; `doc` is its decoded form when unique indexes exist. */
  insert(idKey: string, bytes: Buffer, doc: Doc | null): void {
    if (this.hasUniqueSecondary()) {
      const d = this.checkInsert(idKey, bytes, doc);
      this.addIndexEntries(idKey, d!);
    } else if (this.docs.has(idKey)) {
      throw new DuplicateKeyError(this.ns, '_id_', { _id: new Int32(1) }, { _id: storedId(bytes) });
    }
    this.docs.set(idKey, bytes);
    this.dataSize += bytes.length;
    this.version++;
    this.updateEqualityTables(idKey, undefined, bytes);
    if (this.sorted) {
      if (this.sortedRemoved.has(idKey))
        this.sortedRemoved.delete(idKey); // stale entry is valid again
      else this.sortedPending.push({ id: storedId(bytes), key: idKey });
    }
    if (this.capped) this.evictCapped();
  }

  /** Replaces the stored bytes of an existing document, keeping its position. */
  replace(idKey: string, bytes: Buffer, newDoc: Doc | null): void {
    const old = this.docs.get(idKey);
    if (!old) throw new CommandError(1, 'document vanished during update');
    if (this.hasUniqueSecondary()) {
      const fields = this.uniqueFields();
      const oldDoc = decodeFields(old, fields);
      const nd = newDoc ?? decodeFields(bytes, fields);
      this.removeIndexEntries(idKey, oldDoc);
      try {
        this.checkInsert(idKey, bytes, nd, idKey);
      } catch (e) {
        this.addIndexEntries(idKey, oldDoc);
        throw e;
      }
      this.addIndexEntries(idKey, nd);
    }
    this.docs.set(idKey, bytes);
    this.dataSize += bytes.length - old.length;
    this.updateEqualityTables(idKey, old, bytes);
  }

  delete(idKey: string): boolean {
    const old = this.docs.get(idKey);
    if (!old) return false;
    if (this.hasUniqueSecondary()) this.removeIndexEntries(idKey, decodeFields(old, this.uniqueFields()));
    this.docs.delete(idKey);
    this.dataSize -= old.length;
    this.version++;
    this.updateEqualityTables(idKey, old, undefined);
    if (this.sorted) this.sortedRemoved.add(idKey);
    return true;
  }

  private evictCapped(): void {
    if (!this.capped) return;
    for (const [k] of this.docs) {
      if (this.docs.size <= this.capped.max && this.dataSize <= this.capped.size) break;
      if (this.docs.size <= 1) break;
      this.delete(k);
    }
  }

  private addIndexEntries(idKey: string, doc: Doc): void {
    for (const idx of this.indexes) {
      if (!idx.entries) continue;
      for (const [key] of indexKeys(idx, doc)) idx.entries.set(key, idKey);
    }
  }

  private removeIndexEntries(idKey: string, doc: Doc): void {
    for (const idx of this.indexes) {
      if (!idx.entries) continue;
      for (const [key] of indexKeys(idx, doc)) if (idx.entries.get(key) === idKey) idx.entries.delete(key);
    }
  }

  findIndex(hint: Value): IndexInfo | undefined {
    if (typeof hint === 'string') return this.indexes.find((i) => i.name === hint);
    if (isPlainObject(hint)) {
      const want = canonicalKey(hint);
      return this.indexes.find((i) => canonicalKey(i.key) === want);
    }
    return undefined;
  }

  /** Adds an index; builds unique entries over existing documents (throws on duplicates). */
  addIndex(info: IndexInfo): void {
    if (info.entries) {
      for (const [idKey, bytes] of this.docs) {
        const doc = decodeFields(
          bytes,
          info.partial?.fields === null ? null : new Set([...info.topFields, ...(info.partial?.fields ?? [])]),
        );
        for (const [key, keyValue] of indexKeys(info, doc)) {
          const owner = info.entries.get(key);
          if (owner !== undefined && owner !== idKey) {
            info.entries.clear();
            throw new DuplicateKeyError(this.ns, info.name, info.key, keyValue);
          }
          info.entries.set(key, idKey);
        }
      }
    }
    this.indexes.push(info);
    this.uniqueFieldsCache = undefined;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i >= 0) this.indexes.splice(i, 1);
    this.uniqueFieldsCache = undefined;
  }

  validate(doc: Doc): void {
    if (!this.validator || this.validationAction !== 'error' || this.validationLevel === 'off') return;
    if (!this.validator.test(doc)) {
      throw new CommandError(121, 'Document failed validation', {
        errInfo: {
          failingDocumentId: doc._id ?? null,
          details: {
            operatorName: '$validator',
            note: 'the Cutover test server does not report detailed validation failures',
          },
        },
      });
    }
  }
}

export function makeIndexInfo(spec: Doc): IndexInfo {
  const key = spec.key as Doc;
  const name = String(spec.name);
  const unique = spec.unique === true || (isNumber(spec.unique) && toDouble(spec.unique) !== 0);
  const paths = Object.keys(key).map((k) => k.split('.'));
  const info: IndexInfo = {
    name,
    spec,
    key,
    unique,
    sparse: spec.sparse === true,
    partial: spec.partialFilterExpression !== undefined ? compileFilter(spec.partialFilterExpression) : null,
    paths,
    topFields: new Set(Object.keys(key).map(topField)),
    collator: collatorFor(spec.collation),
    entries: unique && name !== '_id_' ? new Map() : null,
  };
  return info;
}

/** Index keys of a document: [canonical key, keyValue document] per (multikey) entry. */
export function indexKeys(idx: IndexInfo, doc: Doc): Array<[string, Doc]> {
  if (idx.partial && !idx.partial.test(doc)) return [];
  const fieldNames = Object.keys(idx.key);
  const perField: Maybe[][] = idx.paths.map((parts) => {
    const vals: Maybe[] = [];
    for (const l of leaves(doc, parts)) {
      if (Array.isArray(l.value)) {
        if (l.value.length === 0) vals.push(undefined);
        else vals.push(...l.value);
      } else vals.push(l.value);
    }
    return vals.length ? vals : [MISSING];
  });
  if (idx.sparse && perField.every((vals) => vals.every((v) => v === MISSING))) return [];
  const out: Array<[string, Doc]> = [];
  const seen = new Set<string>();
  const combine = (i: number, keyParts: string[], kv: Doc): void => {
    if (i === perField.length) {
      const k = keyParts.join('|');
      if (!seen.has(k)) {
        seen.add(k);
        out.push([k, { ...kv }]);
      }
      return;
    }
    for (const v of perField[i]) {
      kv[fieldNames[i]] = v === MISSING ? null : (v as Value);
      combine(i + 1, [...keyParts, canonicalKey(v, idx.collator, true)], kv);
    }
  };
  combine(0, [], {});
  return out;
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}
}

const INVALID_DB_CHARS = /[/\\. "$\0]/;

export function validateDbName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || INVALID_DB_CHARS.test(name) || name.length >= 64) {
    throw new CommandError(73, `Invalid database name: '${String(name)}'`);
  }
  return name;
}

export function validateCollName(db: string, name: unknown): string {
  if (typeof name !== 'string') throw new CommandError(73, `collection name has invalid type ${typeof name}`);
  if (name.length === 0) throw new CommandError(73, `Invalid namespace specified '${db}.'`);
  if (name.includes('$') || name.includes('\0') || name.startsWith('.'))
    throw new CommandError(73, `Invalid collection name: ${name}`);
  return name;
}

export class Storage {
  readonly dbs = new Map<string, Database>();

  getDb(name: string, create: boolean): Database | undefined {
    let db = this.dbs.get(name);
    if (!db && create) {
      db = new Database(name);
      this.dbs.set(name, db);
    }
    return db;
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.collections.get(name);
  }

  /** Returns the collection, creating it (and its database) when missing. */
  ensureCollection(db: string, name: string): { coll: Collection; created: boolean } {
    validateDbName(db);
    validateCollName(db, name);
    const d = this.getDb(db, true)!;
    let coll = d.collections.get(name);
    if (coll) return { coll, created: false };
    coll = new Collection(db, name);
    d.collections.set(name, coll);
    return { coll, created: true };
  }

  dropCollection(db: string, name: string): boolean {
    const d = this.dbs.get(db);
    if (!d) return false;
    const ok = d.collections.delete(name);
    if (d.collections.size === 0) this.dbs.delete(db);
    return ok;
  }

  dropDatabase(db: string): void {
    this.dbs.delete(db);
  }
}
