/**
 * After the copy: compares counts, every document (or a sample) byte for byte by _id, the indexes and
 * the collection options, and lists what differs. Reads in batches, so memory stays bounded.
 */
import { createHash } from 'node:crypto';
import { BSON, type Document, type MongoClient } from 'mongodb';
import type { NamespaceSpec, NamespaceVerification, VerifyMode } from './plan';
import { nsKey } from './plan';
import { showId } from '../shared/mongo-writer';

const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;
const LISTED = 100;
const BATCH = 1_000;

export async function verifyNamespace(
  source: MongoClient,
  target: MongoClient,
  ns: NamespaceSpec,
  mode: Exclude<VerifyMode, 'none'>,
  sampleSize: number,
  isCancelled: () => boolean,
): Promise<NamespaceVerification> {
  const src = source.db(ns.sourceDb).collection(ns.sourceColl);
  const tgt = target.db(ns.targetDb).collection(ns.targetColl);
  const report: NamespaceVerification = {
    key: nsKey(ns.targetDb, ns.targetColl),
    sourceCount: await src.countDocuments({}),
    targetCount: await tgt.countDocuments({}),
    checked: 0,
    missing: 0,
    mismatched: 0,
    missingIds: [],
    mismatchedIds: [],
    indexDifferences: await compareIndexes(source, target, ns),
    optionDifferences: await compareOptions(source, target, ns),
  };
  const cursor = mode === 'full' ? src.find({}, { raw: true, batchSize: BATCH }) : src.aggregate([{ $sample: { size: sampleSize } }], { raw: true, batchSize: BATCH });
  let batch: Uint8Array[] = [];
  const check = async () => {
    if (batch.length === 0) return;
    const ids = batch.map((raw) => BSON.deserialize(raw, EXACT)._id);
    const found = new Map<string, string>();
    for await (const raw of tgt.find({ _id: { $in: ids } }, { raw: true, batchSize: BATCH }) as AsyncIterable<Uint8Array>) {
      found.set(idKey(BSON.deserialize(raw, EXACT)._id), digest(raw));
    }
    batch.forEach((raw, i) => {
      const other = found.get(idKey(ids[i]));
      report.checked++;
      if (other === undefined) {
        report.missing++;
        if (report.missingIds.length < LISTED) report.missingIds.push(showId(ids[i]));
      } else if (other !== digest(raw)) {
        report.mismatched++;
        if (report.mismatchedIds.length < LISTED) report.mismatchedIds.push(showId(ids[i]));
      }
    });
    batch = [];
  };
  try {
    for await (const raw of cursor as AsyncIterable<Uint8Array>) {
      batch.push(raw);
      if (batch.length >= BATCH) {
        await check();
        if (isCancelled()) break;
      }
    }
    await check();
  } finally {
    await cursor.close();
  }
  return report;
}

async function compareIndexes(source: MongoClient, target: MongoClient, ns: NamespaceSpec): Promise<string[]> {
  const strip = ({ v: _v, ns: _ns, ...spec }: Document) => canonical(spec);
  const [a, b] = await Promise.all([
    source.db(ns.sourceDb).collection(ns.sourceColl).listIndexes().toArray(),
    target.db(ns.targetDb).collection(ns.targetColl).listIndexes().toArray(),
  ]);
  const targetByName = new Map(b.map((spec) => [String(spec.name), strip(spec)]));
  const differences: string[] = [];
  for (const spec of a) {
    const other = targetByName.get(String(spec.name));
    if (other === undefined) differences.push(`index ${spec.name} is missing in the target`);
    else if (other !== strip(spec)) differences.push(`index ${spec.name} differs: source ${strip(spec)}, target ${other}`);
  }
  return differences;
}

async function compareOptions(source: MongoClient, target: MongoClient, ns: NamespaceSpec): Promise<string[]> {
  const [[a], [b]] = await Promise.all([
    source.db(ns.sourceDb).listCollections({ name: ns.sourceColl }).toArray(),
    target.db(ns.targetDb).listCollections({ name: ns.targetColl }).toArray(),
  ]);
  const options = (info: Document | undefined) => canonical((info as { options?: Document } | undefined)?.options ?? {});
  if (!b) return ['the collection is missing in the target'];
  return options(a) === options(b) ? [] : [`options differ: source ${options(a)}, target ${options(b)}`];
}

function canonical(value: unknown): string {
  return BSON.EJSON.stringify(value as Document, { relaxed: false });
}

function idKey(id: unknown): string {
  return Buffer.from(BSON.serialize({ _id: id })).toString('base64');
}

function digest(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('base64');
}
