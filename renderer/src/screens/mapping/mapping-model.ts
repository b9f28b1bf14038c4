/**
 * The mapping screen's model: the mapping document the window edits (the same JSON the provider validates
 * with its zod schema; see providers/relational/mapping.ts) and pure edits of it. The window cannot import
 * the provider, so the shape is repeated here loosely: the main side checks everything the window sends.
 *
 * Cycles: embedding a relation whose embedded table already contains (through other embeddings) the table
 * it would be embedded in would nest endlessly. `cycleIfEmbedded` finds that path so the screen refuses the
 * choice and says which relation must stay a reference.
 */
import type { MappingSourceDto } from '../../../../preload/contract';

export type Kind = 'reference' | 'children' | 'parent' | 'merge';
export const KINDS: readonly Kind[] = ['reference', 'children', 'parent', 'merge'];

export interface FieldRule {
  include?: boolean;
  name?: string;
  type?: string;
  nulls?: 'null' | 'omit';
}
export interface TableRule {
  include?: boolean;
  collection?: string;
  fields?: Record<string, FieldRule>;
}
export interface RelationRule {
  kind: Kind;
  field?: string;
  primitive?: string;
  prefix?: string;
}
export interface MappingDoc {
  format: string;
  version: number;
  nulls?: 'null' | 'omit';
  tables?: Record<string, TableRule>;
  relations?: Record<string, RelationRule>;
  [other: string]: unknown;
}

export type SourceTable = MappingSourceDto['tables'][number];
export type SourceForeignKey = SourceTable['foreignKeys'][number];

/** The mapping the prompt starts from; a text that is not a mapping object gives an empty one (the main side will say why). */
export function parseDoc(text: string): MappingDoc {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as MappingDoc;
  } catch {
    // fall through
  }
  return { format: 'cutover-relational-mapping', version: 1 };
}

const short = (id: string) => id.split('.').pop() ?? id;

export function tableRule(doc: MappingDoc, tableId: string): TableRule {
  return doc.tables?.[tableId] ?? {};
}

export function fieldRule(doc: MappingDoc, tableId: string, column: string): FieldRule {
  return doc.tables?.[tableId]?.fields?.[column] ?? {};
}

export function relationRule(doc: MappingDoc, fkId: string): RelationRule {
  return doc.relations?.[fkId] ?? { kind: 'reference' };
}

export function setTable(doc: MappingDoc, tableId: string, change: Partial<Omit<TableRule, 'fields'>>): MappingDoc {
  const rule = { ...tableRule(doc, tableId), ...change };
  if (rule.collection === '') delete rule.collection;
  return { ...doc, tables: { ...(doc.tables ?? {}), [tableId]: rule } };
}

/** Changes one column's rule; empty values (the column's own name, "as the table says") are dropped. */
export function setField(doc: MappingDoc, tableId: string, column: string, change: Partial<FieldRule>): MappingDoc {
  const rule: FieldRule = { ...fieldRule(doc, tableId, column), ...change };
  if (rule.include !== false) delete rule.include;
  if (!rule.name) delete rule.name;
  if (!rule.type) delete rule.type;
  if (!rule.nulls || rule.nulls === (doc.nulls ?? 'null')) delete rule.nulls;
  const table = tableRule(doc, tableId);
  const fields = { ...(table.fields ?? {}) };
  if (Object.keys(rule).length) fields[column] = rule;
  else delete fields[column];
  return {
    ...doc,
    tables: { ...(doc.tables ?? {}), [tableId]: { ...table, fields } },
  };
}

/** Sets a relation's rule: a reference is the absence of a rule; options that do not apply to the kind go. */
export function setRelation(doc: MappingDoc, fkId: string, rule: RelationRule): MappingDoc {
  const relations = { ...(doc.relations ?? {}) };
  if (rule.kind === 'reference') delete relations[fkId];
  else {
    const next: RelationRule = { kind: rule.kind };
    if (rule.kind !== 'merge' && rule.field) next.field = rule.field;
    if (rule.kind === 'merge' && rule.prefix) next.prefix = rule.prefix;
    if (rule.kind === 'children' && rule.primitive) next.primitive = rule.primitive;
    relations[fkId] = next;
  }
  return { ...doc, relations };
}

/** The container → embedded table edge a relation of this kind makes (none for a reference). */
function edge(fk: SourceForeignKey & { table: string }, kind: Kind): { from: string; to: string } | undefined {
  if (kind === 'children') return { from: fk.refTable, to: fk.table };
  if (kind === 'parent' || kind === 'merge') return { from: fk.table, to: fk.refTable };
  return undefined;
}

/**
 * The cycle that embedding `fkId` as `kind` would close with the other embeddings ("a → b → a"), or
 * undefined when it closes none.
 */
export function cycleIfEmbedded(
  source: MappingSourceDto,
  doc: MappingDoc,
  fkId: string,
  kind: Kind,
): string | undefined {
  const fks = source.tables.flatMap((t) => t.foreignKeys.map((fk) => ({ ...fk, table: t.id })));
  const self = fks.find((fk) => fk.id === fkId);
  const mine = self && edge(self, kind);
  if (!mine) return undefined;
  const next = new Map<string, string[]>();
  for (const fk of fks) {
    if (fk.id === fkId) continue;
    const e = edge(fk, relationRule(doc, fk.id).kind);
    if (e) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  // A path from the embedded table back to its container closes the loop.
  const path = (from: string, seen: Set<string>): string[] | undefined => {
    if (from === mine.from) return [from];
    if (seen.has(from)) return undefined;
    seen.add(from);
    for (const to of next.get(from) ?? []) {
      const rest = path(to, seen);
      if (rest) return [from, ...rest];
    }
    return undefined;
  };
  const loop = path(mine.to, new Set());
  return loop ? [mine.from, ...loop].map(short).join(' → ') : undefined;
}

/** What each kind does, in the person's words. */
export function kindLabel(kind: Kind, fk: SourceForeignKey & { table: string }): string {
  const child = short(fk.table);
  const parent = short(fk.refTable);
  return {
    reference: 'Reference (keep the key as a field)',
    children: `Embed the ${child} rows as an array in ${parent}`,
    parent: `Embed the ${parent} row as a sub-document in ${child}`,
    merge: `Merge the ${parent} fields into ${child}`,
  }[kind];
}
