/**
 * createIndexes / listIndexes / dropIndexes. Specs are stored exactly as given (plus `v: 2`).
 */
import { canonicalKey } from '../compare.js';
import type { CommandContext, CommandTable } from '../context.js';
import { CommandError } from '../errors.js';
import { RawDoc, type ReplyDoc } from '../rawbson.js';
import { makeIndexInfo, type Collection } from '../storage.js';
import { formatDoc } from '../update.js';
import {
  bsonType,
  Double,
  encode,
  Int32,
  isNumber,
  isPlainObject,
  Long,
  toDouble,
  type Doc,
  type Value,
} from '../values.js';
import { collectionName } from './collections.js';

/** The index types ("plugins") a string value in a key pattern may name. */
const INDEX_PLUGINS = new Set(['2d', '2dsphere', '2dsphere_bucket', 'text', 'hashed', 'columnstore']);

/** Why mongod refuses an index key pattern (its validateKeyPattern), or undefined when it takes it. */
export function keyPatternProblem(key: Doc, version = 2): string | undefined {
  if (Object.keys(key).length === 0) return 'Index keys cannot be empty.';
  const plugins = Object.values(key).filter((v): v is string => typeof v === 'string');
  const unknown = plugins.find((p) => !INDEX_PLUGINS.has(p));
  if (unknown !== undefined) return `Unknown index plugin '${unknown}'`;
  for (const [field, value] of Object.entries(key)) {
    if (version >= 2) {
      if (isNumber(value)) {
        const n = toDouble(value);
        if (Number.isNaN(n)) return 'Values in the index key pattern cannot be NaN.';
        if (n === 0) return 'Values in the index key pattern cannot be 0.';
      } else if (typeof value !== 'string') {
        return `Values in v:2 index key pattern cannot be of type ${bsonType(value)}. Only numbers > 0, numbers < 0, and strings are allowed.`;
      }
    }
    if (typeof value === 'string' && value !== plugins[0])
      return "Can't use more than one index plugin for a single index.";
    if (field === '') return 'Index keys cannot be an empty field.';
    // "$**" is a wildcard or text index over every field
    if (field === '$**' && (isNumber(value) || value === 'text')) continue;
    if (field === '_fts' && value !== 'text') return "Index key contains an illegal field name: '_fts'";
    const parts = field.split('.');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '') return 'Index keys cannot contain an empty field.';
      if (!part.startsWith('$')) continue;
      const dbRef = i > 0 && (part === '$id' || part === '$ref' || part === '$db');
      const wildcard = i === parts.length - 1 && part === '$**' && isNumber(value);
      if (!dbRef && !wildcard) return "Index key contains an illegal field name: field name starts with '$'.";
    }
  }
  return undefined;
}

/** mongod's "Error in specification <spec as sent> :: caused by :: <why>". */
const specError = (code: number, raw: Doc, why: string): CommandError =>
  new CommandError(code, `Error in specification ${formatDoc(raw)} :: caused by :: ${why}`);

function normalizeSpec(raw: Value): Doc {
  if (!isPlainObject(raw)) throw new CommandError(14, 'index specification must be an object');
  const key = raw.key;
  if (key === undefined) throw specError(9, raw, "The 'key' field is a required property of an index specification");
  if (!isPlainObject(key)) throw specError(14, raw, `The field 'key' must be an object, but got ${typeof key}`);
  const problem = keyPatternProblem(key, raw.v === undefined ? 2 : toDouble(raw.v));
  if (problem) throw specError(67, raw, problem);
  if (typeof raw.name !== 'string' || raw.name === '')
    throw specError(9, raw, "The 'name' field is a required property of an index specification");
  const spec: Doc = { v: raw.v ?? new Int32(2), key, name: raw.name };
  // 4.4+ drops a given 'ns' (old dumps carry one): specs are listed without it
  for (const [k, v] of Object.entries(raw)) if (k !== 'v' && k !== 'key' && k !== 'name' && k !== 'ns') spec[k] = v;
  if (raw.name === '_id_' || canonicalKey(key) === canonicalKey({ _id: 1 })) {
    if (spec.unique !== undefined && raw.name === '_id_')
      throw new CommandError(67, "The field 'unique' is not valid for an _id index specification.");
  }
  return spec;
}

function optionsKey(spec: Doc): string {
  const rest: Doc = {};
  for (const [k, v] of Object.entries(spec))
    if (k !== 'v' && k !== 'name' && k !== 'key' && k !== 'background') rest[k] = v;
  return canonicalKey(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))));
}

function createIndexes(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const list = ctx.body.indexes;
  if (!Array.isArray(list) || list.length === 0) throw new CommandError(2, 'Must specify at least one index to create');
  const specs = list.map(normalizeSpec);
  const existing = ctx.server.storage.getCollection(ctx.db, name);
  if (existing?.type === 'view') throw new CommandError(166, `Namespace ${ctx.db}.${name} is a view, not a collection`);
  const { coll, created } = ctx.server.storage.ensureCollection(ctx.db, name);
  const before = coll.indexes.length;
  let allExisted = true;
  for (const spec of specs) {
    const sameName = coll.indexes.find((i) => i.name === spec.name);
    const sameKey = coll.indexes.find((i) => canonicalKey(i.key) === canonicalKey(spec.key));
    if (sameName) {
      if (canonicalKey(sameName.key) !== canonicalKey(spec.key)) {
        throw new CommandError(
          86,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${formatDoc(spec)}, existing index: ${formatDoc(sameName.spec)}`,
        );
      }
      if (sameName.name !== '_id_' && optionsKey(sameName.spec) !== optionsKey(spec)) {
        throw new CommandError(
          85,
          `An equivalent index already exists with the same name but different options. Requested index: ${formatDoc(spec)}, existing index: ${formatDoc(sameName.spec)}`,
        );
      }
      continue;
    }
    if (sameKey && optionsKey(sameKey.spec) === optionsKey(spec)) {
      throw new CommandError(85, `Index already exists with a different name: ${sameKey.name}`);
    }
    allExisted = false;
    coll.addIndex(makeIndexInfo(spec));
  }
  const reply: ReplyDoc = {
    numIndexesBefore: new Int32(before),
    numIndexesAfter: new Int32(coll.indexes.length),
    createdCollectionAutomatically: created,
  };
  if (allExisted) reply.note = 'all indexes already exist';
  reply.ok = new Double(1);
  return reply;
}

function requireCollection(ctx: CommandContext, name: string, message: string): Collection {
  const coll = ctx.server.storage.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(26, message);
  return coll;
}

function listIndexes(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const coll = requireCollection(ctx, name, `ns does not exist: ${ctx.db}.${name}`);
  if (coll.type === 'view') throw new CommandError(166, `Namespace ${ctx.db}.${name} is a view, not a collection`);
  const docs = coll.indexes.map((i) => new RawDoc(encode(i.spec)));
  const batchSize =
    isPlainObject(ctx.body.cursor) && ctx.body.cursor.batchSize !== undefined
      ? toDouble(ctx.body.cursor.batchSize)
      : Infinity;
  const first = docs.slice(0, batchSize);
  let id = 0n;
  if (first.length < docs.length) {
    const rest = docs.slice(first.length).map((d) => d.bytes);
    id = ctx.server.cursors.open(`${ctx.db}.${name}`, rest[Symbol.iterator](), { batchSize: 0, lsid: ctx.lsid }).id;
  }
  return { cursor: { id: Long.fromBigInt(id), ns: `${ctx.db}.${name}`, firstBatch: first }, ok: new Double(1) };
}

function dropIndexes(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const coll = requireCollection(ctx, name, `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexes.length;
  const target = ctx.body.index;
  const names: string[] = [];
  if (target === '*') {
    for (const i of coll.indexes) if (i.name !== '_id_') names.push(i.name);
  } else if (typeof target === 'string') {
    if (!coll.indexes.some((i) => i.name === target))
      throw new CommandError(27, `index not found with name [${target}]`);
    names.push(target);
  } else if (Array.isArray(target)) {
    for (const t of target) {
      if (typeof t !== 'string') throw new CommandError(14, 'dropIndexes index names must be strings');
      if (!coll.indexes.some((i) => i.name === t)) throw new CommandError(27, `index not found with name [${t}]`);
      names.push(t);
    }
  } else if (isPlainObject(target)) {
    const k = canonicalKey(target);
    const found = coll.indexes.filter((i) => canonicalKey(i.key) === k);
    if (found.length === 0) throw new CommandError(27, `can't find index with key: ${formatDoc(target)}`);
    if (found.length > 1)
      throw new CommandError(
        2,
        `${found.length} indexes found for key: ${formatDoc(target)}, identify by name instead. Conflicting indexes: ${found.map((f) => formatDoc(f.spec)).join(', ')}`,
      );
    names.push(found[0].name);
  } else {
    throw new CommandError(14, "BSON field 'dropIndexes.index' is the wrong type");
  }
  if (names.includes('_id_')) throw new CommandError(72, 'cannot drop _id index');
  for (const n of names) coll.dropIndex(n);
  const reply: ReplyDoc = { nIndexesWas: new Int32(nIndexesWas) };
  if (target === '*') reply.msg = 'non-_id indexes dropped for collection';
  reply.ok = new Double(1);
  return reply;
}

export const indexCommands: CommandTable = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
