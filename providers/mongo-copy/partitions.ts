/**
 * Splits a collection into _id ranges that can be copied in parallel and resumed independently.
 *
 * Range queries on _id are type-bracketed in MongoDB ({_id: {$gt: 5}} never matches a string), so the
 * ranges are made per BSON type class of _id: each partition is `{_id: {$type: class, $gte: lo, $lt: hi}}`.
 * Split points inside a class come from the server ($bucketAuto on _id).
 */
import type { Collection, Document } from 'mongodb';

export interface Partition {
  id: string;
  typeClass: string;
  /** Inclusive lower bound (absent: from the start of the class). */
  lo?: unknown;
  /** Exclusive upper bound (absent: to the end of the class). */
  hi?: unknown;
}

const NUMERIC = new Set(['double', 'int', 'long', 'decimal']);
/** Type classes a query can select with $type, in BSON order. */
const CLASSES = ['minKey', 'null', 'number', 'string', 'object', 'binData', 'objectId', 'bool', 'date', 'timestamp', 'maxKey'];

export function partitionFilter(partition: Partition, after?: { value: unknown }): Document {
  const range: Document = { $type: partition.typeClass };
  if (after) range.$gt = after.value;
  else if (partition.lo !== undefined) range.$gte = partition.lo;
  if (partition.hi !== undefined) range.$lt = partition.hi;
  return { _id: range };
}

export async function computePartitions(collection: Collection, estimatedDocs: number, partitionDocs: number): Promise<Partition[]> {
  const classes = await idTypeClasses(collection);
  const partitions: Partition[] = [];
  for (const { typeClass, count } of classes) {
    const pieces = Math.min(64, Math.ceil((count || estimatedDocs) / partitionDocs));
    if (pieces <= 1 || typeClass === 'null' || typeClass === 'minKey' || typeClass === 'maxKey' || typeClass === 'bool') {
      partitions.push({ id: `${typeClass}-0`, typeClass });
      continue;
    }
    const buckets = await collection
      .aggregate<{ _id: { min: unknown; max: unknown } }>([{ $match: { _id: { $type: typeClass } } }, { $bucketAuto: { groupBy: '$_id', buckets: pieces } }], { allowDiskUse: true })
      .toArray();
    const splits = buckets.slice(1).map((bucket) => bucket._id.min);
    const bounds = [undefined, ...splits, undefined];
    for (let i = 0; i < bounds.length - 1; i++) partitions.push({ id: `${typeClass}-${i}`, typeClass, lo: bounds[i], hi: bounds[i + 1] });
  }
  return partitions;
}

/** Which classes of _id the collection holds, with how many documents each. */
async function idTypeClasses(collection: Collection): Promise<Array<{ typeClass: string; count: number }>> {
  try {
    const groups = await collection.aggregate<{ _id: string; n: number }>([{ $group: { _id: { $type: '$_id' }, n: { $sum: 1 } } }], { allowDiskUse: true }).toArray();
    const counts = new Map<string, number>();
    for (const group of groups) {
      const typeClass = NUMERIC.has(group._id) ? 'number' : group._id === 'symbol' ? 'string' : group._id === 'undefined' ? 'null' : group._id;
      counts.set(typeClass, (counts.get(typeClass) ?? 0) + Number(group.n));
    }
    return CLASSES.filter((c) => counts.has(c)).map((typeClass) => ({ typeClass, count: counts.get(typeClass)! }));
  } catch {
    // Servers without the $type expression: probe each class (cheap on the _id index).
    const found: Array<{ typeClass: string; count: number }> = [];
    for (const typeClass of CLASSES) {
      if (await collection.findOne({ _id: { $type: typeClass as 'string' } }, { projection: { _id: 1 } })) found.push({ typeClass, count: 0 });
    }
    return found;
  }
}
