/**
 * Turns a collection's plan into the SQL streams that feed it. The root table is one stream; every array
 * embedding (`children`) is another, joined along its path from the root; sub-documents and merged parents
 * (`parent`, `merge`) are LEFT JOINs inside their container's stream. Every stream is ordered by the keys of
 * the stream tables on its path (the root's key first), so the builder merges them like sorted lists: a
 * child stream's rows for one container row come together, in the container stream's order, and the
 * database does every join (no query per parent row; memory holds one batch per stream).
 *
 * The merge compares keys in JavaScript, so the order must be one JavaScript can reproduce: PostgreSQL
 * text keys are ordered `COLLATE "C"` (code point order); MySQL/MariaDB text keys are ordered natively and
 * compared by their collation's sort key (WEIGHT_STRING), which is what the native order sorts by.
 * Tables without a primary key are ordered by a hash of the row's content, so equal rows come together.
 */
import type { CollectionPlan, EmbedPlan, NodePlan } from './mapping';
import type { Column, Dialect, Table } from './schema';
import { quoteIdent, type Placeholder, type Row, type StreamQuery } from './source';

export type Comparator = (a: unknown, b: unknown) => number;

export interface StreamPlan {
  node: NodePlan;
  /** Select positions of the values compared to merge streams (this stream's whole order key). */
  compareAt: number[];
  comparators: Comparator[];
  /** How many of the compare values identify the container row (the container stream's key length). */
  groupLength: number;
  /** The select position of each field of each node this stream carries (its node and LEFT JOINed parents). */
  fieldsAt: Map<NodePlan, number[]>;
  /** For LEFT JOINed parents: a select position that is NULL when there was no parent row. */
  presenceAt: Map<NodePlan, number>;
  /** The array embeddings fed by other streams, by embedding. */
  children: Map<EmbedPlan, StreamPlan>;
  /** The root stream of a table without a primary key: position of the content hash. */
  hashAt?: number;
  /** The number of leading select columns that are the root's key (for resume and checkpoints). */
  rootKeyLength: number;
  query(options: { resumeAfter?: Row; only?: Row[] }): StreamQuery;
}

interface KeyPart {
  order: string;
  compare?: string;
  comparator: Comparator | undefined;
  what: string;
}

export function planStreams(dialect: Dialect, plan: CollectionPlan): StreamPlan {
  const q = (name: string) => quoteIdent(dialect, name);
  const tableRef = (t: Table) => `${q(t.schema)}.${q(t.name)}`;
  let aliasCount = 0;
  const aliases = new Map<NodePlan, string>();
  const aliasOf = (node: NodePlan) => {
    let alias = aliases.get(node);
    if (!alias) aliases.set(node, (alias = `t${aliasCount++}`));
    return alias;
  };

  const keyParts = (node: NodePlan): KeyPart[] => {
    const alias = aliasOf(node);
    const table = node.table;
    if (table.primaryKey.length === 0) {
      const cols = table.columns.map((c) => `${alias}.${q(c.name)}`);
      const order =
        dialect === 'postgres'
          ? `md5(ROW(${cols.join(', ')})::text) COLLATE "C"`
          : `MD5(CONCAT_WS('|', ${cols.map((c) => `QUOTE(${c})`).join(', ')}))`;
      return [{ order, comparator: compareLex, what: `${table.id} (row content)` }];
    }
    return table.primaryKey.map((name) =>
      keyPart(
        dialect,
        alias,
        table.columns.find((c) => c.name === name)!,
        table,
      ),
    );
  };

  const rootKey = keyParts(plan.root);

  const makeStream = (node: NodePlan, pathJoins: string[], containerKeys: KeyPart[], isRoot: boolean): StreamPlan => {
    const ownKey = isRoot ? rootKey : keyParts(node);
    const keys = isRoot ? rootKey : [...containerKeys, ...ownKey];
    const select: string[] = keys.map((k) => k.order);
    const compareAt: number[] = [];
    keys.forEach((k, i) => {
      if (k.compare) {
        compareAt.push(select.length);
        select.push(k.compare);
      } else compareAt.push(i);
    });
    const fieldsAt = new Map<NodePlan, number[]>();
    const presenceAt = new Map<NodePlan, number>();
    const leftJoins: string[] = [];
    const childEmbeds: Array<{ embed: EmbedPlan; joins: string[] }> = [];
    // This stream's node and, through LEFT JOINs, its parents embedded as sub-documents or merged.
    const carry = (n: NodePlan, joinsToHere: string[]) => {
      const alias = aliasOf(n);
      fieldsAt.set(
        n,
        n.fields.map((f) => {
          select.push(`${alias}.${q(f.column.name)}`);
          return select.length - 1;
        }),
      );
      for (const embed of n.embeds) {
        const child = aliasOf(embed.node);
        if (embed.kind === 'children') {
          const on = embed.relation.columns
            .map((c, i) => `${child}.${q(c)} = ${alias}.${q(embed.relation.refColumns[i])}`)
            .join(' AND ');
          childEmbeds.push({ embed, joins: [...joinsToHere, `JOIN ${tableRef(embed.node.table)} ${child} ON ${on}`] });
        } else {
          const on = embed.relation.refColumns
            .map((c, i) => `${child}.${q(c)} = ${alias}.${q(embed.relation.columns[i])}`)
            .join(' AND ');
          leftJoins.push(`LEFT JOIN ${tableRef(embed.node.table)} ${child} ON ${on}`);
          select.push(`${child}.${q(embed.relation.refColumns[0])}`);
          presenceAt.set(embed.node, select.length - 1);
          carry(embed.node, [...joinsToHere, `JOIN ${tableRef(embed.node.table)} ${child} ON ${on}`]);
        }
      }
    };
    carry(node, pathJoins);
    let hashAt: number | undefined;
    if (isRoot && node.table.primaryKey.length === 0) hashAt = 0;
    const children = new Map<EmbedPlan, StreamPlan>();
    for (const { embed, joins } of childEmbeds) {
      const missing = keys.find((k) => !k.comparator);
      if (missing)
        throw new Error(
          `${missing.what} cannot order the embedding of ${embed.node.table.id} (relation ${embed.relation.id}): its type cannot be compared; keep the relation as a reference.`,
        );
      children.set(embed, makeStream(embed.node, joins, keys, false));
    }
    const from = [...pathJoins, ...leftJoins].join(' ');
    const orderBy = keys.map((k) => k.order);
    const uniqueOrder = keys.every((k, i) => i < containerKeys.length || node.table.primaryKey.length > 0);
    return {
      node,
      compareAt,
      comparators: keys.map((k) => k.comparator ?? compareLex),
      groupLength: isRoot ? 0 : containerKeys.length,
      fieldsAt,
      presenceAt,
      children,
      hashAt,
      rootKeyLength: rootKey.length,
      query: ({ resumeAfter, only }): StreamQuery => ({
        orderColumns: orderBy.length,
        uniqueOrder,
        build(ph: Placeholder, after?: Row) {
          const where: string[] = [];
          if (resumeAfter)
            where.push(
              rowGreater(
                rootKey.map((k) => k.order),
                resumeAfter,
                ph,
              ),
            );
          if (only)
            where.push(
              only.length === 0
                ? '1 = 0'
                : `(${only.map((key) => `(${rootKey.map((k, i) => `${k.order} = ${ph(key[i])}`).join(' AND ')})`).join(' OR ')})`,
            );
          if (after) where.push(rowGreater(orderBy, after, ph));
          return `SELECT ${select.join(', ')} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy.join(', ')}`;
        },
      }),
    };
  };
  return makeStream(plan.root, [`${tableRef(plan.root.table)} ${aliasOf(plan.root)}`], [], true);
}

/** (a, b) > (x, y), spelled out so every server uses its indexes: a > x OR (a = x AND b > y). */
function rowGreater(exprs: string[], values: Row, ph: Placeholder): string {
  const terms: string[] = [];
  for (let i = 0; i < exprs.length; i++) {
    const equal = exprs.slice(0, i).map((e, j) => `${e} = ${ph(values[j])}`);
    terms.push(`(${[...equal, `${exprs[i]} > ${ph(values[i])}`].join(' AND ')})`);
  }
  return `(${terms.join(' OR ')})`;
}

function keyPart(dialect: Dialect, alias: string, column: Column, table: Table): KeyPart {
  const ref = `${alias}.${quoteIdent(dialect, column.name)}`;
  const what = `${table.id}.${column.name} (${column.sqlType})`;
  if (column.array) return { order: ref, comparator: undefined, what };
  switch (column.kind) {
    case 'int32':
    case 'int64':
    case 'year':
      return { order: ref, comparator: compareInteger, what };
    case 'decimal':
      return { order: ref, comparator: compareDecimal, what };
    case 'double':
      return { order: ref, comparator: (a, b) => Number(a) - Number(b), what };
    case 'string':
    case 'enum':
      return dialect === 'postgres'
        ? { order: `${ref}::text COLLATE "C"`, comparator: compareCodePoints, what }
        : column.kind === 'string'
          ? { order: ref, compare: `WEIGHT_STRING(${ref})`, comparator: compareBytes, what }
          : { order: ref, comparator: undefined, what };
    case 'bool':
      return { order: ref, comparator: dialect === 'postgres' ? compareLex : compareInteger, what };
    case 'binary':
      return { order: ref, comparator: dialect === 'postgres' ? compareLex : compareBytes, what };
    case 'uuid':
      return { order: ref, comparator: dialect === 'postgres' ? compareLex : undefined, what };
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return { order: ref, comparator: compareLex, what };
    case 'time':
      return { order: ref, comparator: dialect === 'postgres' ? compareLex : undefined, what };
    default:
      return { order: ref, comparator: undefined, what };
  }
}

export const compareLex: Comparator = (a, b) => {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Code point order (what COLLATE "C" gives for UTF-8), which differs from UTF-16 order for astral characters. */
export const compareCodePoints: Comparator = (a, b) => {
  const x = String(a);
  const y = String(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx === cy) continue;
    // A surrogate (a code point above U+FFFF) sorts after every other UTF-16 unit.
    if (cx >= 0xd800 && cx <= 0xdfff && (cy < 0xd800 || cy > 0xdfff)) return 1;
    if (cy >= 0xd800 && cy <= 0xdfff && (cx < 0xd800 || cx > 0xdfff)) return -1;
    return cx - cy;
  }
  return x.length - y.length;
};

export const compareBytes: Comparator = (a, b) => Buffer.compare(a as Buffer, b as Buffer);

export const compareInteger: Comparator = (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = BigInt(String(a));
  const y = BigInt(String(b));
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Decimal strings ("-12.50", "3") compared exactly. */
export const compareDecimal: Comparator = (a, b) => {
  const [sx, ix, fx] = splitDecimal(String(a));
  const [sy, iy, fy] = splitDecimal(String(b));
  if (ix === '0' && fx === '' && iy === '0' && fy === '') return 0;
  if (sx !== sy) return sx - sy;
  let magnitude = ix.length - iy.length || (ix < iy ? -1 : ix > iy ? 1 : 0);
  if (magnitude === 0) {
    const n = Math.max(fx.length, fy.length);
    const px = fx.padEnd(n, '0');
    const py = fy.padEnd(n, '0');
    magnitude = px < py ? -1 : px > py ? 1 : 0;
  }
  return sx * magnitude;
};

function splitDecimal(text: string): [number, string, string] {
  const negative = text.startsWith('-');
  const [int = '0', frac = ''] = text.replace(/^[-+]/, '').split('.');
  return [negative ? -1 : 1, int.replace(/^0+(?=\d)/, ''), frac.replace(/0+$/, '')];
}
