/**
 * The copy's target side: collections recreated with their source options (dropped first under the
 * "drop" policy), views, the indexes, and (after the target lost the copy's checkpoints) what the target
 * holds now. Used by the engine (engine.ts).
 */
import type { Document, MongoClient } from 'mongodb';
import { checkCount } from '../shared/count-check';
import type { CopyEvents } from './engine';
import { nsKey, type ConflictPolicy, type NamespaceResult, type NamespaceSpec } from './plan';

/**
 * After the target lost the copy's checkpoints: which collections lost documents too, in a sentence
 * (" On the target now: a.b holds 500 documents, but 20,000 documents were written to it."), or nothing.
 */
export async function whatTheTargetHolds(
  target: MongoClient,
  conflict: ConflictPolicy,
  collections: Array<{ ns: NamespaceSpec; result: NamespaceResult }>,
): Promise<string> {
  const wrong: string[] = [];
  try {
    for (const { ns, result } of collections) {
      if (result.docs + result.skipped === 0 && result.status === 'pending') continue;
      const check = await checkCount(target.db(ns.targetDb), ns.targetColl, {
        namespace: result.key,
        policy: conflict,
        written: result.docs,
        expected: result.docs + result.skipped,
      });
      if (!check.ok) wrong.push(check.sentence);
      if (wrong.length === 3) break;
    }
  } catch {
    return ''; // the target is unreachable again: the checkpoints' loss is the news
  }
  return wrong.length ? ` On the target now: ${wrong.join(' ')}` : '';
}

async function sourceOptions(source: MongoClient, ns: NamespaceSpec): Promise<Document> {
  const [info] = await source.db(ns.sourceDb).listCollections({ name: ns.sourceColl }, { nameOnly: false }).toArray();
  if (!info) throw new Error(`Source collection ${nsKey(ns.sourceDb, ns.sourceColl)} does not exist.`);
  return (info as { options?: Document }).options ?? {};
}

export async function prepareCollection(
  source: MongoClient,
  target: MongoClient,
  ns: NamespaceSpec,
  conflict: ConflictPolicy,
  events: CopyEvents,
): Promise<void> {
  const options = await sourceOptions(source, ns);
  const db = target.db(ns.targetDb);
  let exists = (await db.listCollections({ name: ns.targetColl }, { nameOnly: true }).toArray()).length > 0;
  if (exists && conflict === 'drop') {
    await db.collection(ns.targetColl).drop();
    exists = false;
  }
  if (exists) {
    events.warn(
      `${nsKey(ns.targetDb, ns.targetColl)} already existed on the target: its options were kept as they are.`,
    );
    return;
  }
  await db.createCollection(ns.targetColl, options);
}

export async function prepareView(source: MongoClient, target: MongoClient, ns: NamespaceSpec): Promise<void> {
  const options = await sourceOptions(source, ns);
  const db = target.db(ns.targetDb);
  if ((await db.listCollections({ name: ns.targetColl }, { nameOnly: true }).toArray()).length > 0)
    await db.collection(ns.targetColl).drop();
  await db.createCollection(ns.targetColl, options);
}

export async function buildIndexes(source: MongoClient, target: MongoClient, ns: NamespaceSpec): Promise<void> {
  const specs = await source.db(ns.sourceDb).collection(ns.sourceColl).listIndexes().toArray();
  const indexes = specs.filter((spec) => spec.name !== '_id_').map(({ v: _v, ns: _ns, ...spec }) => spec);
  if (indexes.length === 0) return;
  try {
    await target.db(ns.targetDb).command({ createIndexes: ns.targetColl, indexes });
  } catch (error) {
    throw new Error(
      `${nsKey(ns.targetDb, ns.targetColl)}: building the indexes ${indexes.map((i) => i.name).join(', ')} failed: ${(error as Error).message}`,
    );
  }
}
