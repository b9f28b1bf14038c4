/**
 * Write commands: insert, update, delete, findAndModify.
 */
import { BSON, ObjectId } from 'bson';
import { collatorFor, type StringCollator } from '../compare.js';
import type { CommandContext, CommandTable } from '../context.js';
import { CommandError } from '../errors.js';
import { idSortDirection, pipelineApplier, scan, sortedIdScan, type Matched } from '../executor.js';
import { compileFilter } from '../match.js';
import { compileProjection } from '../projection.js';
import { BsonFormatError, elements, IdTypeError, prepareForInsert, RawDoc, type ReplyDoc } from '../rawbson.js';
import { compileSort, sortRows } from '../rows.js';
import type { Collection } from '../storage.js';
import { compileUpdate, formatValue, upsertSeed, type CompiledUpdate } from '../update.js';
import {
  decode,
  DECODE_OPTIONS,
  Double,
  encode,
  Int32,
  isPlainObject,
  isTruthyOption,
  toInt,
  type Doc,
  type Value,
} from '../values.js';
import { collectionName } from './collections.js';

interface WriteError {
  index: number;
  error: CommandError;
}

function writeErrorDocs(errors: WriteError[]): Doc[] {
  return errors.map(({ index, error }) => ({
    index: new Int32(index),
    code: new Int32(error.code),
    errmsg: error.message,
    ...(error.extra as Doc),
  }));
}

function toCommandError(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  if (e instanceof IdTypeError) return new CommandError(53, e.message);
  if (e instanceof BsonFormatError) return new CommandError(22, `invalid BSON: ${e.message}`);
  throw e;
}

function writableCollection(ctx: CommandContext, name: string, create: boolean): Collection | undefined {
  const existing = ctx.server.storage.getCollection(ctx.db, name);
  if (existing?.type === 'view') throw new CommandError(166, `Namespace ${ctx.db}.${name} is a view, not a collection`);
  if (existing) return existing;
  if (!create) return undefined;
  return ctx.server.storage.ensureCollection(ctx.db, name).coll;
}

function idForMessage(raw: Buffer): string {
  try {
    for (const e of elements(raw)) {
      if (e.name === '_id') {
        const mini = Buffer.alloc(e.end - e.start + 5);
        mini.writeInt32LE(mini.length, 0);
        raw.copy(mini, 4, e.start, e.end);
        return formatValue((BSON.deserialize(mini, DECODE_OPTIONS) as Doc)._id);
      }
    }
  } catch {
    // fall through
  }
  return 'missing';
}

function tooLarge(size: number, max: number, raw: Buffer): CommandError {
  return new CommandError(
    10334,
    `object to insert too large. size in bytes: ${size}, max size: ${max} for document with _id: ${idForMessage(raw)}`,
  );
}

function commandDocs(ctx: CommandContext, field: string): Buffer[] | Value[] {
  const seq = ctx.sequences.get(field);
  if (seq) return seq;
  const v = ctx.body[field];
  if (!Array.isArray(v))
    throw new CommandError(14, `BSON field '${ctx.name}.${field}' is missing but a required field`);
  return v;
}

function insert(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const docs = commandDocs(ctx, 'documents') as Buffer[];
  const ordered = ctx.body.ordered !== false;
  const failure = ctx.server.faults.takeWriteFailure();
  if (failure) throw failure;
  const coll = writableCollection(ctx, name, true)!;
  const validate = !isTruthyOption(ctx.body.bypassDocumentValidation);
  const errors: WriteError[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    const raw = docs[i];
    try {
      if (!Buffer.isBuffer(raw)) throw new CommandError(14, 'documents must be objects');
      const max = ctx.server.maxDocumentBytes;
      if (raw.length > max) throw tooLarge(raw.length, max, raw);
      const p = prepareForInsert(raw);
      if (p.bytes.length > max) throw tooLarge(p.bytes.length, max, p.bytes);
      let decoded: Doc | null = null;
      if (coll.validator && validate) {
        decoded = decode(p.bytes);
        coll.validate(decoded);
      }
      if (coll.type === 'timeseries') checkTimeseries(coll, decoded ?? decode(p.bytes));
      coll.insert(p.idKey, p.bytes, coll.hasUniqueSecondary() ? decoded : null);
      n++;
    } catch (e) {
      errors.push({ index: i, error: toCommandError(e) });
      if (ordered) break;
    }
  }
  ctx.server.stats.inserts += n;
  const reply: ReplyDoc = { n: new Int32(n) };
  if (errors.length) reply.writeErrors = writeErrorDocs(errors);
  reply.ok = new Double(1);
  return reply;
}

function checkTimeseries(coll: Collection, doc: Doc): void {
  const ts = coll.options.timeseries;
  const timeField = isPlainObject(ts) && typeof ts.timeField === 'string' ? ts.timeField : undefined;
  if (timeField && !(doc[timeField] instanceof Date)) {
    throw new CommandError(2, `'${timeField}' must be present and contain a valid BSON UTC datetime value`);
  }
}

function decodeStatements(ctx: CommandContext, field: string): Doc[] {
  return (commandDocs(ctx, field) as Array<Buffer | Value>).map((d) => {
    if (Buffer.isBuffer(d)) return decode(d);
    if (!isPlainObject(d)) throw new CommandError(14, `${field} entries must be objects`);
    return d;
  });
}

/** Stores an updated document when it changed; returns whether it was modified. */
function storeUpdated(
  coll: Collection,
  idKey: string,
  before: Buffer,
  doc: Doc,
  validate: boolean,
  max: number,
): boolean {
  const bytes = encode(doc);
  if (bytes.equals(before)) return false;
  if (bytes.length > max) throw new CommandError(17419, `Resulting document after update is larger than ${max}`);
  if (validate) coll.validate(doc);
  coll.replace(idKey, bytes, null);
  return true;
}

/** Builds and inserts the document of an upsert; returns it. */
function upsertInsert(coll: Collection, query: Value, update: CompiledUpdate, validate: boolean, max: number): Doc {
  let doc: Doc;
  if (update.kind === 'replacement') doc = update.apply(upsertSeedIdOnly(query), { isInsert: true });
  else doc = update.apply(upsertSeed(query), { isInsert: true });
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  else if (Object.keys(doc)[0] !== '_id') {
    const { _id, ...rest } = doc;
    doc = { _id, ...rest };
  }
  const p = prepareForInsert(encode(doc));
  if (p.bytes.length > max) throw new CommandError(17419, `Resulting document after update is larger than ${max}`);
  if (validate) coll.validate(doc);
  coll.insert(p.idKey, p.bytes, null);
  return doc;
}

function upsertSeedIdOnly(query: Value): Doc {
  const seed = upsertSeed(query);
  return seed._id === undefined ? {} : { _id: seed._id };
}

function firstMatches(
  coll: Collection,
  query: Value,
  collator: StringCollator | undefined,
  multi: boolean,
  sortSpec?: Value,
): Matched[] {
  const dir = idSortDirection(sortSpec);
  const ordered = dir ? sortedIdScan(coll, query, dir, collator) : null;
  if (ordered) {
    const out: Matched[] = [];
    for (const m of ordered) {
      out.push(m);
      if (!multi) break;
    }
    return out;
  }
  const sort = compileSort(sortSpec);
  if (sort) {
    const all = [...scan(coll, query, collator)];
    const byRow = new Map(all.map((m) => [m.row, m]));
    const sorted = sortRows(
      all.map((m) => m.row),
      sort,
      collator,
    );
    const ms = sorted.map((r) => byRow.get(r)!);
    return multi ? ms : ms.slice(0, 1);
  }
  const out: Matched[] = [];
  for (const m of scan(coll, query, collator)) {
    out.push(m);
    if (!multi) break;
  }
  return out;
}

function update(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const statements = decodeStatements(ctx, 'updates');
  const ordered = ctx.body.ordered !== false;
  const failure = ctx.server.faults.takeWriteFailure();
  if (failure) throw failure;
  const errors: WriteError[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  const applier = pipelineApplier(ctx.server, ctx.db);
  const validate = !isTruthyOption(ctx.body.bypassDocumentValidation);
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    try {
      const multi = isTruthyOption(st.multi);
      const upsert = isTruthyOption(st.upsert);
      const compiled = compileUpdate(st.u, st.arrayFilters, applier);
      if (multi && compiled.kind === 'replacement')
        throw new CommandError(9, 'multi update is not supported for replacement-style update');
      compileFilter(st.q);
      const coll = writableCollection(ctx, name, upsert);
      const collator = collatorFor(st.collation) ?? coll?.collator;
      const matches = coll ? firstMatches(coll, st.q, collator, multi, st.sort) : [];
      if (
        coll &&
        st.hint !== undefined &&
        !(isPlainObject(st.hint) && Object.keys(st.hint).length === 0) &&
        !coll.findIndex(st.hint)
      ) {
        throw new CommandError(2, 'hint provided does not correspond to an existing index');
      }
      for (const m of matches) {
        const before = coll!.docs.get(m.idKey);
        if (!before) continue;
        const doc = compiled.apply(decode(before), { isInsert: false, positionalIndex: m.match.arrayIndex });
        n++;
        if (storeUpdated(coll!, m.idKey, before, doc, validate, ctx.server.maxDocumentBytes)) nModified++;
      }
      if (matches.length === 0 && upsert) {
        const doc = upsertInsert(coll!, st.q, compiled, validate, ctx.server.maxDocumentBytes);
        n++;
        upserted.push({ index: new Int32(i), _id: doc._id });
      }
    } catch (e) {
      errors.push({ index: i, error: toCommandError(e) });
      if (ordered) break;
    }
  }
  ctx.server.stats.updates += statements.length;
  const reply: ReplyDoc = { n: new Int32(n), nModified: new Int32(nModified) };
  if (upserted.length) reply.upserted = upserted;
  if (errors.length) reply.writeErrors = writeErrorDocs(errors);
  reply.ok = new Double(1);
  return reply;
}

function del(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const statements = decodeStatements(ctx, 'deletes');
  const ordered = ctx.body.ordered !== false;
  const failure = ctx.server.faults.takeWriteFailure();
  if (failure) throw failure;
  const errors: WriteError[] = [];
  let n = 0;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    try {
      const limit = toInt(st.limit, 0);
      if (limit !== 0 && limit !== 1)
        throw new CommandError(9, `The limit field in delete objects must be 0 or 1. Got ${limit}`);
      compileFilter(st.q);
      const coll = writableCollection(ctx, name, false);
      if (!coll) continue;
      const collator = collatorFor(st.collation) ?? coll.collator;
      const matches = firstMatches(coll, st.q, collator, limit === 0);
      for (const m of matches) if (coll.delete(m.idKey)) n++;
    } catch (e) {
      errors.push({ index: i, error: toCommandError(e) });
      if (ordered) break;
    }
  }
  ctx.server.stats.deletes += n;
  const reply: ReplyDoc = { n: new Int32(n) };
  if (errors.length) reply.writeErrors = writeErrorDocs(errors);
  reply.ok = new Double(1);
  return reply;
}

function findAndModify(ctx: CommandContext): ReplyDoc {
  const name = collectionName(ctx);
  const b = ctx.body;
  const remove = isTruthyOption(b.remove);
  const hasUpdate = b.update !== undefined && b.update !== null;
  if (remove && hasUpdate) throw new CommandError(9, 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate) throw new CommandError(9, 'Either an update or remove=true must be specified');
  const upsert = isTruthyOption(b.upsert);
  const returnNew = isTruthyOption(b.new);
  if (remove && (upsert || returnNew)) throw new CommandError(9, 'Cannot specify both upsert=true and remove=true');
  const failure = ctx.server.faults.takeWriteFailure();
  if (failure) throw failure;
  const validate = !isTruthyOption(b.bypassDocumentValidation);
  const proj = compileProjection(b.fields, 'find');
  const project = (doc: Doc): RawDoc => new RawDoc(encode(proj ? proj.apply(doc) : doc));
  const coll = writableCollection(ctx, name, upsert);
  const collator = collatorFor(b.collation) ?? coll?.collator;
  const query = b.query ?? {};
  const matches = coll ? firstMatches(coll, query, collator, false, b.sort) : [];
  const m = matches[0];
  if (remove) {
    if (!m) return { lastErrorObject: { n: new Int32(0) }, value: null, ok: new Double(1) };
    const before = coll!.docs.get(m.idKey)!;
    coll!.delete(m.idKey);
    ctx.server.stats.deletes++;
    return {
      lastErrorObject: { n: new Int32(1) },
      value: proj ? project(decode(before)) : new RawDoc(before),
      ok: new Double(1),
    };
  }
  const compiled = compileUpdate(b.update as Value, b.arrayFilters, pipelineApplier(ctx.server, ctx.db));
  ctx.server.stats.updates++;
  if (m) {
    const before = coll!.docs.get(m.idKey)!;
    const oldDoc = decode(before);
    const doc = compiled.apply(decode(before), { isInsert: false, positionalIndex: m.match.arrayIndex });
    storeUpdated(coll!, m.idKey, before, doc, validate, ctx.server.maxDocumentBytes);
    const value = returnNew
      ? proj
        ? project(doc)
        : new RawDoc(coll!.docs.get(m.idKey)!)
      : proj
        ? project(oldDoc)
        : new RawDoc(before);
    return { lastErrorObject: { n: new Int32(1), updatedExisting: true }, value, ok: new Double(1) };
  }
  if (upsert) {
    const doc = upsertInsert(coll!, query, compiled, validate, ctx.server.maxDocumentBytes);
    return {
      lastErrorObject: { n: new Int32(1), updatedExisting: false, upserted: doc._id },
      value: returnNew ? project(doc) : null,
      ok: new Double(1),
    };
  }
  return { lastErrorObject: { n: new Int32(0), updatedExisting: false }, value: null, ok: new Double(1) };
}

export const crudCommands: CommandTable = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};

export const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
