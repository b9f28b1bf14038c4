/**
 * The data view: what a selected collection holds (count, size, indexes) and a page of its documents as
 * canonical Extended JSON (types visible: {"$numberLong": "1"}, {"$date": …}), read-only.
 */
import { EJSON } from 'bson';
import type { MongoClient } from 'mongodb';
import { describeMongoError } from './mongo-errors';

export const PAGE_LIMIT_MAX = 100;
/** A document larger than this is cut in the view (the data is not touched). */
const MAX_DOC_TEXT = 64 * 1024;

export interface CollectionData {
  count: number;
  size?: number;
  avgDocSize?: number;
  indexes: Array<{ name: string; keys: string; unique?: boolean }>;
  documents: string[];
  skip: number;
  limit: number;
}

export async function collectionData(
  client: MongoClient,
  where: string,
  db: string,
  coll: string,
  skip: number,
  limit: number,
): Promise<CollectionData> {
  try {
    const handle = client.db(db).collection(coll);
    const [count, stats, indexes, documents] = await Promise.all([
      handle.countDocuments({}),
      client
        .db(db)
        .command({ collStats: coll })
        .catch(() => undefined),
      handle.indexes().catch(() => []),
      handle
        .find(
          {},
          {
            skip,
            limit: Math.min(limit, PAGE_LIMIT_MAX),
            sort: { _id: 1 },
            promoteValues: false,
            promoteLongs: false,
            bsonRegExp: true,
          },
        )
        .toArray(),
    ]);
    return {
      count,
      size: typeof stats?.size === 'number' ? stats.size : undefined,
      avgDocSize: typeof stats?.avgObjSize === 'number' ? stats.avgObjSize : undefined,
      indexes: indexes.map((index) => ({
        name: String(index.name),
        keys: EJSON.stringify(index.key, { relaxed: false }),
        ...(index.unique ? { unique: true } : {}),
      })),
      documents: documents.map((doc) => {
        const text = EJSON.stringify(doc, undefined, 2, { relaxed: false });
        return text.length > MAX_DOC_TEXT
          ? `${text.slice(0, MAX_DOC_TEXT)}\n… (${text.length - MAX_DOC_TEXT} more characters not shown)`
          : text;
      }),
      skip,
      limit,
    };
  } catch (error) {
    throw new Error(describeMongoError(error, where));
  }
}
