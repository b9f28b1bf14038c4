/**
 * Splits a collection into _id ranges that can be copied in parallel and resumed independently.
 *
 * Range queries on _id are type-bracketed in MongoDB ({_id: {$gt: 5}} never matches a string), so the
 * ranges are made per BSON type class of _id: each partition is `{_id: {$type: class, $gte: lo, $lt: hi}}`.
 * Split points inside a class come from the server ($bucketAuto on _id).
 */
import { BSON, type Collection, type Document } from 'mongodb';
import { BSON_TYPE_ORDER, NUMERIC_TYPES, taggedTypeAlias } from '../shared/bson-order';

export interface Partition {
  id: string;
  typeClass: string;
  /** Inclusive lower bound (absent: from the start of the class). */
  lo?: unknown;
  /** Exclusive upper bound (absent: to the end of the class). */
  hi?: unknown;
}

const NUMERIC = NUMERIC_TYPES;
/**
 * Type classes a query can select with $type, in BSON order ('number' is every numeric type; an _id is
 * never an array). A type a server reports that is not listed here gets its own class all the same, so
 * no document is left out because of the type of its _id.
 */
const CLASSES: string[] = [
  ...new Set<string>(BSON_TYPE_ORDER.map((type) => (NUMERIC.has(type) ? 'number' : type))),
].filter((c) => c !== 'array');

export function partitionFilter(partition: Partition, after?: { value: unknown }): Document {
  const range: Document = { $type: partition.typeClass };
  if (after) range.$gt = after.value;
  else if (partition.lo !== undefined) range.$gte = partition.lo;
  if (partition.hi !== undefined) range.$lt = partition.hi;
  return { _id: range };
}

export interface PartitionOptions {
  /** Aim for about this many documents per partition… */
  partitionDocs: number;
  /** …but never more partitions than this (a few per stream keeps every stream busy). */
  maxPartitions: number;
}

export async function computePartitions(collection: Collection, options: PartitionOptions): Promise<Partition[]> {
  const total = await collection.estimatedDocumentCount();
  const classes = await idTypeClasses(collection, total);
  const partitions: Partition[] = [];
  for (const { typeClass, count } of classes) {
    const pieces = Math.max(1, Math.min(options.maxPartitions, Math.ceil(count / options.partitionDocs)));
    const splits = pieces > 1 && !UNSPLITTABLE.has(typeClass) ? await splitPoints(collection, typeClass, pieces) : [];
    const bounds = [undefined, ...splits, undefined];
    for (let i = 0; i < bounds.length - 1; i++)
      partitions.push({ id: `${typeClass}-${i}`, typeClass, lo: bounds[i], hi: bounds[i + 1] });
  }
  return partitions;
}

/** Classes not split into ranges: a single value, or rare types whose order servers may not agree on. */
const UNSPLITTABLE = new Set([
  'null',
  'undefined',
  'minKey',
  'maxKey',
  'bool',
  'symbol',
  'regex',
  'dbPointer',
  'javascript',
  'javascriptWithScope',
]);

/**
 * Split points inside one type class: quantiles of a random sample the server sorts ($sample reads a
 * few random documents, not the collection), or $bucketAuto when the server cannot sample.
 */
async function splitPoints(collection: Collection, typeClass: string, pieces: number): Promise<unknown[]> {
  const size = Math.min(10_000, pieces * 64);
  let sample: Array<{ _id: unknown }> = [];
  try {
    sample = await collection
      .aggregate<{ _id: unknown }>([
        { $sample: { size } },
        { $match: { _id: { $type: typeClass } } },
        { $sort: { _id: 1 } },
        { $project: { _id: 1 } },
      ])
      .toArray();
  } catch {
    sample = [];
  }
  if (sample.length < pieces * 4) {
    const buckets = await collection
      .aggregate<{ _id: { min: unknown } }>(
        [{ $match: { _id: { $type: typeClass } } }, { $bucketAuto: { groupBy: '$_id', buckets: pieces } }],
        { allowDiskUse: true },
      )
      .toArray();
    return distinct(buckets.slice(1).map((bucket) => bucket._id.min));
  }
  return distinct(
    Array.from({ length: pieces - 1 }, (_, i) => sample[Math.floor(((i + 1) * sample.length) / pieces)]._id),
  );
}

/** Drops repeated split points (a sample can hold the same _id region twice). */
function distinct(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = BSON.EJSON.stringify({ v: value } as Document, { relaxed: false });
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Which classes of _id the collection holds, with about how many documents each. */
async function idTypeClasses(
  collection: Collection,
  total: number,
): Promise<Array<{ typeClass: string; count: number }>> {
  // Cheap first: the smallest and largest _id (read from the _id index). BSON order keeps each type
  // class together, so when both ends are of one class, every _id is.
  const [first] = await collection.find({}, { projection: { _id: 1 }, sort: { _id: 1 }, limit: 1 }).toArray();
  if (!first) return [];
  const [last] = await collection.find({}, { projection: { _id: 1 }, sort: { _id: -1 }, limit: 1 }).toArray();
  const low = classOf(first._id);
  if (low && low === classOf(last?._id)) return [{ typeClass: low, count: total }];
  try {
    const groups = await collection
      .aggregate<{ _id: string; n: number }>([{ $group: { _id: { $type: '$_id' }, n: { $sum: 1 } } }], {
        allowDiskUse: true,
      })
      .toArray();
    const counts = new Map<string, number>();
    for (const group of groups) {
      // Each type is read with its own $type (symbol is not 'string' to $type, undefined is not 'null').
      const typeClass = NUMERIC.has(group._id) ? 'number' : String(group._id);
      counts.set(typeClass, (counts.get(typeClass) ?? 0) + Number(group.n));
    }
    const order = (c: string) => (CLASSES.includes(c) ? CLASSES.indexOf(c) : CLASSES.length);
    return [...counts.keys()]
      .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
      .map((typeClass) => ({ typeClass, count: counts.get(typeClass)! }));
  } catch {
    // Servers without the $type expression: probe each class.
    const found: Array<{ typeClass: string; count: number }> = [];
    for (const typeClass of CLASSES) {
      if (await collection.findOne({ _id: { $type: typeClass as 'string' } }, { projection: { _id: 1 } }))
        found.push({ typeClass, count: total });
    }
    return found;
  }
}

/** The $type class of a decoded _id, as $type names it. */
function classOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if ((value as { _bsontype?: string })._bsontype === undefined) return Array.isArray(value) ? undefined : 'object';
  const alias = taggedTypeAlias(value as object);
  return alias && NUMERIC.has(alias) ? 'number' : alias;
}
