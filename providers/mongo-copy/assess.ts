/**
 * The pre-flight assessment: before anything is written, what will be copied where (documents, data
 * size, indexes, options, views), roughly how long it takes, and what the target may not support or
 * what would conflict there.
 */
import { MongoClient, type Document } from 'mongodb';
import { META_DB } from './checkpoints';
import type { NamespaceMapper } from './namespaces';
import type { ConflictPolicy, NamespaceSpec } from './plan';
import { nsKey } from './plan';

export const SYSTEM_DATABASES = new Set(['admin', 'local', 'config', META_DB]);

export interface NamespaceAssessment extends NamespaceSpec {
  docs: number;
  bytes: number;
  indexes: number;
  options: string[];
  targetDocs?: number;
  targetExists: boolean;
}

export interface Assessment {
  namespaces: NamespaceAssessment[];
  targetFamily: TargetFamily;
  notes: Array<{ level: 'info' | 'warning' | 'error'; text: string }>;
  totalDocs: number;
  totalBytes: number;
  estimatedSeconds: number;
  /** The same copy was interrupted before and carries on from its checkpoints. */
  resuming: boolean;
}

export type TargetFamily = 'MongoDB' | 'DocumentDB' | 'Cosmos DB for MongoDB';

/** Lists the source namespaces of a collection, a database or the whole server, filtered and mapped. */
export async function selectNamespaces(
  source: MongoClient,
  scope: { db?: string; coll?: string },
  mapper: NamespaceMapper,
): Promise<NamespaceSpec[]> {
  const dbs = scope.db
    ? [scope.db]
    : (await source.db('admin').admin().listDatabases({ nameOnly: true })).databases
        .map((d) => d.name)
        .filter((name) => !SYSTEM_DATABASES.has(name));
  const specs: NamespaceSpec[] = [];
  for (const db of dbs.sort()) {
    const infos = await source
      .db(db)
      .listCollections(scope.coll ? { name: scope.coll } : {}, { nameOnly: false })
      .toArray();
    if (scope.coll && infos.length === 0) throw new Error(`Source collection ${nsKey(db, scope.coll)} does not exist.`);
    for (const info of infos) {
      if (info.name.startsWith('system.')) continue;
      if (!scope.coll && !mapper.selects(db, info.name)) continue;
      const to = mapper.map(db, info.name);
      specs.push({
        sourceDb: db,
        sourceColl: info.name,
        targetDb: to.db,
        targetColl: to.coll,
        kind: info.type === 'view' ? 'view' : 'collection',
      });
    }
  }
  // Collections first (views may read them), then by name.
  return specs.sort((a, b) =>
    a.kind === b.kind
      ? nsKey(a.sourceDb, a.sourceColl).localeCompare(nsKey(b.sourceDb, b.sourceColl))
      : a.kind === 'collection'
        ? -1
        : 1,
  );
}

/**
 * `resuming`: the target holds the checkpoints of this same copy, interrupted; what it already wrote
 * there is its own, so the conflict policy does not apply to it.
 */
export async function assess(
  source: MongoClient,
  target: MongoClient,
  namespaces: NamespaceSpec[],
  conflict: ConflictPolicy,
  targetHost: string,
  resuming = false,
): Promise<Assessment> {
  const targetFamily = await detectFamily(target, targetHost);
  const notes: Assessment['notes'] = [];
  const seen = new Map<string, string>();
  const assessed: NamespaceAssessment[] = [];
  for (const ns of namespaces) {
    const to = nsKey(ns.targetDb, ns.targetColl);
    const from = nsKey(ns.sourceDb, ns.sourceColl);
    if (seen.has(to))
      notes.push({
        level: 'error',
        text: `${from} and ${seen.get(to)} would both be copied to ${to}: change the renames.`,
      });
    seen.set(to, from);
    assessed.push(await assessNamespace(source, target, ns, targetFamily, notes));
  }
  if (resuming)
    notes.push({
      level: 'info',
      text: 'This copy was interrupted before: it carries on from its checkpoints on the target, and what it already copied is not copied again.',
    });
  for (const ns of assessed) {
    if (!ns.targetExists || resuming) continue;
    const to = nsKey(ns.targetDb, ns.targetColl);
    const has =
      ns.kind === 'view'
        ? 'exists'
        : `holds ${(ns.targetDocs ?? 0).toLocaleString('en-US')} ${ns.targetDocs === 1 ? 'document' : 'documents'}`;
    if (ns.kind === 'collection' && !ns.targetDocs)
      notes.push({ level: 'info', text: `Target ${to} exists but is empty: its options are kept.` });
    else if (conflict === 'abort')
      notes.push({
        level: 'error',
        text: `Target ${to} already ${has}: with "stop if the target has data" the copy will not start. Change the conflict policy or the target.`,
      });
    else if (conflict === 'drop')
      notes.push({ level: 'warning', text: `Target ${to} ${has} and will be dropped first.` });
    else
      notes.push({
        level: 'warning',
        text: `Target ${to} ${has}: documents with the same _id will be ${conflict === 'skip' ? 'kept as they are' : 'overwritten'}.`,
      });
  }
  const totalDocs = assessed.reduce((sum, ns) => sum + ns.docs, 0);
  const totalBytes = assessed.reduce((sum, ns) => sum + ns.bytes, 0);
  // A cautious rate for planning; the live ETA comes from the measured byte rate.
  const estimatedSeconds = Math.max(1, Math.round(Math.max(totalDocs / 20_000, totalBytes / (20 * 1024 * 1024))));
  const limit = await documentLimit(target);
  if (
    limit !== undefined &&
    limit < SOURCE_DOCUMENT_LIMIT &&
    assessed.some((ns) => ns.kind === 'collection' && ns.docs > 0)
  ) {
    notes.push({
      level: 'warning',
      text: `The target stores documents of up to ${formatLimit(limit)} (MongoDB: 16 MB); larger ones will be refused and named by _id.`,
    });
  }
  if (targetFamily !== 'MongoDB')
    notes.push({
      level: 'info',
      text: `The target looks like ${targetFamily}: features it lacks are listed above; verify after the copy.`,
    });
  return { namespaces: assessed, targetFamily, notes, totalDocs, totalBytes, estimatedSeconds, resuming };
}

async function assessNamespace(
  source: MongoClient,
  target: MongoClient,
  ns: NamespaceSpec,
  family: TargetFamily,
  notes: Assessment['notes'],
): Promise<NamespaceAssessment> {
  const from = nsKey(ns.sourceDb, ns.sourceColl);
  const [info] = await source.db(ns.sourceDb).listCollections({ name: ns.sourceColl }, { nameOnly: false }).toArray();
  const options = ((info as { options?: Document } | undefined)?.options ?? {}) as Document;
  const optionNames: string[] = [];
  if (options.validator) optionNames.push('validator');
  if (options.collation) optionNames.push(`collation ${options.collation.locale ?? ''}`.trim());
  if (options.capped) optionNames.push('capped');
  if (options.timeseries) optionNames.push('time-series');
  if (options.clusteredIndex) optionNames.push('clustered');
  if (options.changeStreamPreAndPostImages?.enabled) optionNames.push('pre/post images');
  if (ns.kind === 'view') optionNames.push(`view on ${options.viewOn}`);
  const unsupported =
    family === 'MongoDB'
      ? []
      : optionNames.filter((o) => /^(collation|time-series|clustered|capped|pre\/post)/.test(o));
  for (const o of unsupported)
    notes.push({ level: 'warning', text: `${from}: ${family} may not support the ${o} option.` });

  let docs = 0;
  let bytes = 0;
  let indexes = 0;
  if (ns.kind === 'collection') {
    const collection = source.db(ns.sourceDb).collection(ns.sourceColl);
    try {
      const [stats] = await collection.aggregate<Document>([{ $collStats: { storageStats: {} } }]).toArray();
      docs = Number(stats?.storageStats?.count ?? 0);
      bytes = Number(stats?.storageStats?.size ?? 0);
    } catch {
      docs = await collection.estimatedDocumentCount();
    }
    const specs = await collection.listIndexes().toArray();
    indexes = specs.length;
    for (const spec of specs) {
      const unknown = indexOptionsUnknownTo(family, spec);
      if (unknown.length)
        notes.push({
          level: 'warning',
          text: `${from}: index ${spec.name} uses ${unknown.join(', ')}, which ${family} may not support.`,
        });
    }
  }
  const targetDb = target.db(ns.targetDb);
  const targetExists =
    (await targetDb.listCollections({ name: ns.targetColl }, { nameOnly: true }).toArray()).length > 0;
  const targetDocs =
    targetExists && ns.kind === 'collection'
      ? await targetDb.collection(ns.targetColl).estimatedDocumentCount()
      : undefined;
  return { ...ns, docs, bytes, indexes, options: optionNames, targetExists, targetDocs };
}

function indexOptionsUnknownTo(family: TargetFamily, spec: Document): string[] {
  if (family === 'MongoDB') return [];
  const found: string[] = [];
  const values = Object.values(spec.key ?? {}).map(String);
  if (values.includes('text')) found.push('a text index');
  if (values.includes('2dsphere') || values.includes('2d')) found.push('a geospatial index');
  if (Object.keys(spec.key ?? {}).some((k) => k.includes('$**'))) found.push('a wildcard index');
  if (values.includes('hashed') && family === 'DocumentDB') found.push('a hashed index');
  if (spec.partialFilterExpression) found.push('partialFilterExpression');
  if (spec.collation) found.push('collation');
  if (spec.hidden) found.push('hidden');
  return found;
}

/** The largest document a MongoDB server stores. */
const SOURCE_DOCUMENT_LIMIT = 16 * 1024 * 1024;

/** The largest document the target says it stores (hello's maxBsonObjectSize), when it says. */
async function documentLimit(target: MongoClient): Promise<number | undefined> {
  try {
    const limit = Number((await target.db('admin').command({ hello: 1 })).maxBsonObjectSize);
    return Number.isFinite(limit) && limit > 0 ? limit : undefined;
  } catch {
    return undefined;
  }
}

const formatLimit = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes.toLocaleString('en-US')} bytes`;

async function detectFamily(target: MongoClient, host: string): Promise<TargetFamily> {
  if (/cosmos\.azure\.com|documents\.azure\.com/i.test(host)) return 'Cosmos DB for MongoDB';
  if (/docdb\.amazonaws\.com|docdb-elastic/i.test(host)) return 'DocumentDB';
  try {
    const info = await target.db('admin').command({ buildInfo: 1 });
    if (/documentdb/i.test(JSON.stringify(info))) return 'DocumentDB';
    if (/cosmos/i.test(JSON.stringify(info))) return 'Cosmos DB for MongoDB';
  } catch {
    // buildInfo refused: assume MongoDB.
  }
  return 'MongoDB';
}
