/**
 * MongoDB's canonical BSON type order, by the names `$type` uses: how the server sorts and compares
 * values of different types (numbers share one rank, as do strings and symbols; undefined sorts before
 * null). One definition for the copy's _id partitions (providers/mongo-copy/partitions.ts) and the test
 * server's comparisons (testkit/mongo/compare.ts).
 */
export const BSON_TYPE_RANK = {
  minKey: -1,
  undefined: 0,
  null: 5,
  int: 10,
  long: 10,
  double: 10,
  decimal: 10,
  string: 15,
  symbol: 15,
  object: 20,
  array: 25,
  binData: 30,
  objectId: 35,
  bool: 40,
  date: 45,
  timestamp: 47,
  regex: 50,
  dbPointer: 55,
  javascript: 60,
  javascriptWithScope: 65,
  maxKey: 127,
} as const;

export type BsonTypeAlias = keyof typeof BSON_TYPE_RANK;

/** The numeric types, which compare with each other by value. */
export const NUMERIC_TYPES: ReadonlySet<string> = new Set(['int', 'long', 'double', 'decimal']);

/** The type names in BSON order (types of one rank in the order above). */
export const BSON_TYPE_ORDER = (Object.keys(BSON_TYPE_RANK) as BsonTypeAlias[]).sort(
  (a, b) => BSON_TYPE_RANK[a] - BSON_TYPE_RANK[b],
);

/**
 * The `$type` name of a value the driver decoded into one of its classes (`_bsontype`: Int32, Long,
 * ObjectId, Code…), or undefined for anything else (plain values, documents, arrays, unknown classes).
 */
export function taggedTypeAlias(value: object): BsonTypeAlias | undefined {
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Long':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    case 'ObjectId':
      return 'objectId';
    case 'Binary':
    case 'UUID':
      return 'binData';
    case 'BSONRegExp':
      return 'regex';
    case 'BSONSymbol':
      return 'symbol';
    case 'Code':
      return (value as { scope?: unknown }).scope != null ? 'javascriptWithScope' : 'javascript';
    case 'Timestamp':
      return 'timestamp';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'DBRef':
      return 'object';
    default:
      return undefined;
  }
}
