/**
 * Before copying: which namespaces, how many documents and bytes each holds (for totals and ETA).
 */
import { MongoClient, type Document } from 'mongodb';
import type { NamespaceSpec } from './engine';

export interface NamespaceEstimate extends NamespaceSpec {
  kind: 'collection' | 'view';
  docs: number;
  bytes: number;
}

export async function listSourceNamespaces(client: MongoClient, db: string): Promise<Array<{ name: string; kind: 'collection' | 'view' }>> {
  const infos = await client.db(db).listCollections({}, { nameOnly: false }).toArray();
  return infos
    .filter((info) => !info.name.startsWith('system.'))
    .map((info) => ({ name: info.name, kind: info.type === 'view' ? ('view' as const) : ('collection' as const) }))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'collection' ? -1 : 1));
}

export async function estimate(client: MongoClient, ns: NamespaceSpec, kind: 'collection' | 'view'): Promise<NamespaceEstimate> {
  if (kind === 'view') return { ...ns, kind, docs: 0, bytes: 0 };
  const collection = client.db(ns.sourceDb).collection(ns.sourceColl);
  try {
    const [stats] = await collection.aggregate<Document>([{ $collStats: { storageStats: {} } }]).toArray();
    const storage = (stats?.storageStats ?? {}) as { count?: number; size?: number };
    return { ...ns, kind, docs: Number(storage.count ?? 0), bytes: Number(storage.size ?? 0) };
  } catch {
    return { ...ns, kind, docs: await collection.estimatedDocumentCount(), bytes: 0 };
  }
}
