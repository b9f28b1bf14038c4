/**
 * After the copy: compares counts, every document (or a sample) by _id through a hash of its bytes, the
 * indexes and the collection options, and lists what differs. Documents stay raw BSON (only their _id is
 * decoded, for the lookup); a few batches are looked up in the target at once while the source is read,
 * and memory stays bounded by those batches.
 */
import { hash } from 'node:crypto';
import { BSON, type Document, type MongoClient } from 'mongodb';
import type { NamespaceSpec, NamespaceVerification, VerifyMode } from './plan';
import { nsKey } from './plan';
import { showId } from '../shared/mongo-writer';
import { idElement, idOf } from '../shared/raw-bson';

const LISTED = 100;
const BATCH = 1_000;
/** Batches looked up in the target at the same time. */
const LOOKUPS_IN_FLIGHT = 2;

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
  const cursor =
    mode === 'full'
      ? src.find({}, { raw: true, batchSize: BATCH })
      : src.aggregate([{ $sample: { size: sampleSize } }], { raw: true, batchSize: BATCH });
  const check = async (batch: Uint8Array[]) => {
    const ids = batch.map(idOf);
    const found = new Map<string, string>();
    for await (const raw of tgt.find({ _id: { $in: ids } } as Document, {
      raw: true,
      batchSize: BATCH,
    }) as AsyncIterable<Uint8Array>) {
      found.set(idKey(raw), digest(raw));
    }
    batch.forEach((raw, i) => {
      const other = found.get(idKey(raw));
      report.checked++;
      if (other === undefined) {
        report.missing++;
        if (report.missingIds.length < LISTED) report.missingIds.push(showId(ids[i]));
      } else if (other !== digest(raw)) {
        report.mismatched++;
        if (report.mismatchedIds.length < LISTED) report.mismatchedIds.push(showId(ids[i]));
      }
    });
  };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const launch = (batch: Uint8Array[]) => {
    const lookup = check(batch).then(
      () => void inFlight.delete(lookup),
      (error: unknown) => {
        inFlight.delete(lookup);
        failure ??= error;
      },
    );
    inFlight.add(lookup);
  };
  try {
    let batch: Uint8Array[] = [];
    for await (const raw of cursor as AsyncIterable<Uint8Array>) {
      batch.push(raw);
      if (batch.length < BATCH) continue;
      launch(batch);
      batch = [];
      while (inFlight.size >= LOOKUPS_IN_FLIGHT) await Promise.race(inFlight);
      if (failure !== undefined || isCancelled()) break;
    }
    if (batch.length > 0 && failure === undefined && !isCancelled()) launch(batch);
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
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
    else if (other !== strip(spec))
      differences.push(`index ${spec.name} differs: source ${strip(spec)}, target ${other}`);
  }
  return differences;
}

async function compareOptions(source: MongoClient, target: MongoClient, ns: NamespaceSpec): Promise<string[]> {
  const [[a], [b]] = await Promise.all([
    source.db(ns.sourceDb).listCollections({ name: ns.sourceColl }).toArray(),
    target.db(ns.targetDb).listCollections({ name: ns.targetColl }).toArray(),
  ]);
  const options = (info: Document | undefined) =>
    canonical((info as { options?: Document } | undefined)?.options ?? {});
  if (!b) return ['the collection is missing in the target'];
  return options(a) === options(b) ? [] : [`options differ: source ${options(a)}, target ${options(b)}`];
}

function canonical(value: unknown): string {
  return BSON.EJSON.stringify(value as Document, { relaxed: false });
}

/** The _id's encoded element: equal bytes, equal _id (an Int32 1 and a Double 1 stay apart, as stored). */
function idKey(raw: Uint8Array): string {
  return Buffer.from(idElement(raw)).toString('latin1');
}

function digest(raw: Uint8Array): string {
  return hash('sha256', raw, 'base64');
}
