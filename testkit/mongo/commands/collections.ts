/**
 * Namespace commands: create, drop, dropDatabase, renameCollection, listCollections,
 * listDatabases, dbStats, collStats.
 */
import { collectionStats } from '../aggregate.js';
import { canonicalKey } from '../compare.js';
import { formatDoc } from '../update.js';
import type { CommandContext, CommandTable } from '../context.js';
import { CommandError } from '../errors.js';
import { compileFilter } from '../match.js';
import { RawDoc, type ReplyDoc } from '../rawbson.js';
import { Collection, validateCollName, validateDbName } from '../storage.js';
import { Double, encode, Int32, isPlainObject, Long, toDouble, type Doc, type Value } from '../values.js';

/** Fields of a command body that are protocol plumbing, not collection options. */
export const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  'writeConcern',
  'readConcern',
  'comment',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'maxTimeMS',
]);

const SYSTEM_DBS = ['admin', 'config', 'local'];

export function collectionName(ctx: CommandContext): string {
  return validateCollName(ctx.db, ctx.body[ctx.name]);
}

/** The listCollections entry of a collection. */
export function collectionInfo(coll: Collection): Doc {
  const info: Doc = { name: coll.name, type: coll.type, options: coll.options };
  if (coll.type === 'view') info.info = { readOnly: true };
  else info.info = { readOnly: false, uuid: coll.uuid };
  const idIndex = coll.idIndexSpec();
  if (coll.type === 'collection' && idIndex) info.idIndex = idIndex;
  return info;
}

const CREATE_OPTIONS = new Set([
  'capped',
  'size',
  'max',
  'autoIndexId',
  'idIndex',
  'validator',
  'validationLevel',
  'validationAction',
  'collation',
  'timeseries',
  'expireAfterSeconds',
  'clusteredIndex',
  'viewOn',
  'pipeline',
  'storageEngine',
  'indexOptionDefaults',
  'changeStreamPreAndPostImages',
  'encryptedFields',
  'flags',
  'temp',
  'recordIdsReplicated',
]);

function create(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  validateDbName(ctx.db);
  const existing = ctx.server.storage.getCollection(ctx.db, name);
  if (existing) throw new CommandError(48, `Collection ${ctx.db}.${name} already exists.`);
  const options: Doc = {};
  for (const [k, v] of Object.entries(ctx.body)) {
    if (k === ctx.name || GENERIC_FIELDS.has(k)) continue;
    if (!CREATE_OPTIONS.has(k)) throw new CommandError(40415, `BSON field 'create.${k}' is an unknown field.`);
    options[k] = v;
  }
  if (options.viewOn !== undefined) {
    if (typeof options.viewOn !== 'string' || options.viewOn === '')
      throw new CommandError(2, "'viewOn' option must be a non-empty string");
    if (options.pipeline !== undefined && !Array.isArray(options.pipeline))
      throw new CommandError(2, "'pipeline' option must be an array");
    if (options.pipeline === undefined) options.pipeline = [];
  }
  if (options.capped === true && options.size === undefined)
    throw new CommandError(72, 'the size field must be specified for capped collections');
  if (options.timeseries !== undefined) {
    if (!isPlainObject(options.timeseries) || typeof options.timeseries.timeField !== 'string') {
      throw new CommandError(40414, "BSON field 'timeseries.timeField' is missing but a required field");
    }
  }
  if (options.idIndex !== undefined) {
    // the _id index's spec, not an option: listCollections shows it as `idIndex`, without the 'ns' old dumps carry
    if (!isPlainObject(options.idIndex))
      throw new CommandError(14, "BSON field 'create.idIndex' is the wrong type, expected type 'object'");
    const key = options.idIndex.key;
    if (!isPlainObject(key) || canonicalKey(key) !== canonicalKey({ _id: 1 }))
      throw new CommandError(
        2,
        `The field 'key' for an _id index must be {_id: 1}, but got ${isPlainObject(key) ? formatDoc(key) : String(key)}`,
      );
    delete options.idIndex;
  }
  const { coll } = ctx.server.storage.ensureCollection(ctx.db, name);
  coll.applyOptions(options);
  return { ok: new Double(1) };
}

function drop(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const coll = ctx.server.storage.getCollection(ctx.db, name);
  if (!coll) return { ok: new Double(1) };
  const nIndexesWas = coll.indexes.length;
  ctx.server.storage.dropCollection(ctx.db, name);
  ctx.server.cursors.killNamespace({ ns: `${ctx.db}.${name}` }, 'collection dropped');
  return { nIndexesWas: new Int32(nIndexesWas), ns: `${ctx.db}.${name}`, ok: new Double(1) };
}

function dropDatabase(ctx: CommandContext): ReplyDoc {
  validateDbName(ctx.db);
  ctx.server.storage.dropDatabase(ctx.db);
  ctx.server.cursors.killNamespace({ db: ctx.db }, 'database dropped');
  return { dropped: ctx.db, ok: new Double(1) };
}

function splitNs(ns: Value): [string, string] {
  if (typeof ns !== 'string') throw new CommandError(2, 'namespace must be a string');
  const dot = ns.indexOf('.');
  if (dot <= 0 || dot === ns.length - 1) throw new CommandError(73, `Invalid namespace specified '${ns}'`);
  return [validateDbName(ns.slice(0, dot)), ns.slice(dot + 1)];
}

function renameCollection(ctx: CommandContext): ReplyDoc {
  if (ctx.db !== 'admin') throw new CommandError(13, 'renameCollection may only be run against the admin database.');
  const [sdb, sname] = splitNs(ctx.body.renameCollection);
  const [tdb, tname] = splitNs(ctx.body.to);
  validateCollName(tdb, tname);
  const storage = ctx.server.storage;
  const src = storage.getCollection(sdb, sname);
  if (!src) throw new CommandError(26, 'Source collection ' + `${sdb}.${sname} does not exist`);
  if (src.type === 'view') throw new CommandError(166, `cannot rename view: ${sdb}.${sname}`);
  if (sdb === tdb && sname === tname) throw new CommandError(20, "Can't rename a collection to itself");
  const target = storage.getCollection(tdb, tname);
  if (target) {
    if (ctx.body.dropTarget === undefined || ctx.body.dropTarget === false || ctx.body.dropTarget === null) {
      throw new CommandError(48, 'target namespace exists');
    }
    storage.dropCollection(tdb, tname);
  }
  storage.dropCollection(sdb, sname);
  ctx.server.cursors.killNamespace({ ns: `${sdb}.${sname}` }, 'collection renamed');
  if (target) ctx.server.cursors.killNamespace({ ns: `${tdb}.${tname}` }, 'collection dropped');
  src.db = tdb;
  src.name = tname;
  storage.getDb(tdb, true)!.collections.set(tname, src);
  return { ok: new Double(1) };
}

function listCollections(ctx: CommandContext): ReplyDoc {
  validateDbName(ctx.db);
  const nameOnly = ctx.body.nameOnly === true;
  const filter = isPlainObject(ctx.body.filter) ? compileFilter(ctx.body.filter) : null;
  const db = ctx.server.storage.dbs.get(ctx.db);
  const docs: RawDoc[] = [];
  for (const coll of db?.collections.values() ?? []) {
    const full = collectionInfo(coll);
    const entry = nameOnly ? { name: coll.name, type: coll.type } : full;
    if (filter && !filter.test(entry)) continue;
    docs.push(new RawDoc(encode(entry)));
  }
  const batchSize =
    isPlainObject(ctx.body.cursor) && ctx.body.cursor.batchSize !== undefined
      ? toDouble(ctx.body.cursor.batchSize)
      : Infinity;
  const first = docs.slice(0, batchSize);
  let id = 0n;
  if (first.length < docs.length) {
    const rest = docs.slice(first.length).map((d) => d.bytes);
    const r = ctx.server.cursors.open(`${ctx.db}.$cmd.listCollections`, rest[Symbol.iterator](), {
      batchSize: 0,
      lsid: ctx.lsid,
    });
    id = r.id;
  }
  return {
    cursor: { id: Long.fromBigInt(id), ns: `${ctx.db}.$cmd.listCollections`, firstBatch: first },
    ok: new Double(1),
  };
}

function dbSize(ctx: CommandContext, name: string): number {
  const db = ctx.server.storage.dbs.get(name);
  let size = 0;
  for (const c of db?.collections.values() ?? []) size += Math.max(4096, c.dataSize) + 4096 * c.indexes.length;
  return size;
}

function listDatabases(ctx: CommandContext): ReplyDoc {
  const names = new Set<string>([...ctx.server.storage.dbs.keys()]);
  for (const s of SYSTEM_DBS) names.add(s);
  const nameOnly = ctx.body.nameOnly === true;
  const filter = isPlainObject(ctx.body.filter) ? compileFilter(ctx.body.filter) : null;
  const out: Doc[] = [];
  let total = 0;
  for (const name of [...names].sort()) {
    const size = Math.max(dbSize(ctx, name), SYSTEM_DBS.includes(name) ? 40960 : 0);
    const entry: Doc = nameOnly ? { name } : { name, sizeOnDisk: Long.fromNumber(size), empty: false };
    if (filter && !filter.test(entry)) continue;
    total += size;
    out.push(entry);
  }
  const reply: ReplyDoc = { databases: out };
  if (!nameOnly) {
    reply.totalSize = Long.fromNumber(total);
    reply.totalSizeMb = Long.fromNumber(Math.floor(total / 1048576));
  }
  reply.ok = new Double(1);
  return reply;
}

function dbStats(ctx: CommandContext): ReplyDoc {
  validateDbName(ctx.db);
  const scale = ctx.body.scale !== undefined ? Math.max(1, toDouble(ctx.body.scale)) : 1;
  const db = ctx.server.storage.dbs.get(ctx.db);
  let collections = 0;
  let views = 0;
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  let indexSize = 0;
  for (const c of db?.collections.values() ?? []) {
    if (c.type === 'view') {
      views++;
      continue;
    }
    collections++;
    objects += c.count();
    dataSize += c.dataSize;
    indexes += c.indexes.length;
    indexSize += c.indexes.length * (4096 + c.count() * 32);
  }
  const storageSize = collections ? Math.max(4096 * collections, dataSize) : 0;
  const s = (n: number): Double => new Double(Math.floor(n / scale));
  return {
    db: ctx.db,
    collections: Long.fromNumber(collections),
    views: Long.fromNumber(views),
    objects: Long.fromNumber(objects),
    avgObjSize: new Double(objects ? dataSize / objects : 0),
    dataSize: s(dataSize),
    storageSize: s(storageSize),
    indexes: Long.fromNumber(indexes),
    indexSize: s(indexSize),
    totalSize: s(storageSize + indexSize),
    scaleFactor: Long.fromNumber(scale),
    fsUsedSize: new Double(0),
    fsTotalSize: new Double(0),
    ok: new Double(1),
  };
}

function collStats(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const coll = ctx.server.storage.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(26, `Collection [${ctx.db}.${name}] not found.`);
  const scale = ctx.body.scale !== undefined ? Math.max(1, toDouble(ctx.body.scale)) : 1;
  return { ns: `${ctx.db}.${name}`, ...collectionStats(coll, scale), ok: new Double(1) };
}

const COLLMOD_OPTIONS = new Set([
  'validator',
  'validationLevel',
  'validationAction',
  'viewOn',
  'pipeline',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'timeseries',
]);

function collMod(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const coll = ctx.server.storage.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(26, `ns does not exist: ${ctx.db}.${name}`);
  const options: Doc = { ...coll.options };
  const reply: ReplyDoc = {};
  for (const [k, v] of Object.entries(ctx.body)) {
    if (k === ctx.name || GENERIC_FIELDS.has(k)) continue;
    if (COLLMOD_OPTIONS.has(k)) {
      if ((k === 'viewOn' || k === 'pipeline') !== (coll.type === 'view'))
        throw new CommandError(72, `option not supported on a ${coll.type}: ${k}`);
      options[k] = v;
    } else if (k === 'cappedSize' || k === 'cappedMax') {
      if (!coll.capped) throw new CommandError(72, `Collection '${ctx.db}.${name}' must be capped`);
      options[k === 'cappedSize' ? 'size' : 'max'] = v;
    } else if (k === 'index') {
      if (!isPlainObject(v)) throw new CommandError(14, "BSON field 'collMod.index' is the wrong type");
      const idx = typeof v.name === 'string' ? coll.findIndex(v.name) : coll.findIndex(v.keyPattern);
      if (!idx)
        throw new CommandError(
          27,
          `cannot find index ${typeof v.name === 'string' ? v.name : JSON.stringify(v.keyPattern)} for ns ${ctx.db}.${name}`,
        );
      for (const [field, value] of Object.entries(v)) {
        if (field === 'name' || field === 'keyPattern') continue;
        if (!['expireAfterSeconds', 'hidden', 'prepareUnique', 'unique'].includes(field))
          throw new CommandError(72, `unknown index option to collMod: ${field}`);
        const old = idx.spec[field];
        idx.spec[field] = value;
        if (field === 'expireAfterSeconds' || field === 'hidden') {
          reply[`${field}_old`] = old ?? null;
          reply[`${field}_new`] = value;
        }
      }
    } else {
      throw new CommandError(72, `unknown option to collMod: ${k}`);
    }
  }
  if (isPlainObject(options.validator) && Object.keys(options.validator).length === 0) delete options.validator;
  coll.applyOptions(options);
  reply.ok = new Double(1);
  return reply;
}

export const collectionCommands: CommandTable = {
  collMod,
  create,
  drop,
  dropDatabase,
  renameCollection,
  listCollections,
  listDatabases,
  dbStats,
  dbstats: dbStats,
  collStats,
  collstats: collStats,
};
