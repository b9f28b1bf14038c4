/**
 * The mapping document: how tables become collections and documents. A versioned JSON document,
 * validated with zod, saved with the job and exchanged with the CLI (`--mapping m.json`):
 *
 *   { "format": "cutover-relational-mapping", "version": 1, "nulls": "null",
 *     "tables":    { "public.orders": { "include": true, "collection": "orders",
 *                    "fields": { "note": { "include": false }, "total": { "name": "amount", "type": "decimal", "nulls": "omit" } } } },
 *     "relations": { "public.order_items:order_items_order_id_fkey": { "kind": "children", "field": "items" } } }
 *
 * A table left out is included with its default collection name; a relation left out is a reference (the
 * foreign key's columns stay plain fields). Relation kinds, for a foreign key from a child table to a parent:
 * `children` embeds the child rows as an array in the parent's documents (`primitive: "<column>"` makes it an
 * array of that column's values), `parent` embeds the parent row as a sub-document in the child's documents,
 * `merge` puts the parent's fields into the child's documents (optionally prefixed), `reference` embeds nothing.
 * An embedding applies wherever its container table appears, so embeddings nest (an array inside a document
 * inside an array); a cycle of embeddings is refused, naming the relations on it.
 */
import { z } from 'zod';
import { BSON_TYPES, type BsonType } from './types';
import type { Column, DatabaseSchema, ForeignKey, Table } from './schema';

export const MAPPING_FORMAT = 'cutover-relational-mapping';
export const MAPPING_VERSION = 1;

const fieldRule = z.strictObject({
  include: z.boolean().optional(),
  name: z.string().min(1).optional(),
  type: z.enum(BSON_TYPES).optional(),
  nulls: z.enum(['null', 'omit']).optional(),
});

const tableRule = z.strictObject({
  include: z.boolean().optional(),
  collection: z.string().min(1).optional(),
  fields: z.record(z.string(), fieldRule).optional(),
});

export const RELATION_KINDS = ['reference', 'children', 'parent', 'merge'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

const relationRule = z.strictObject({
  kind: z.enum(RELATION_KINDS),
  field: z.string().min(1).optional(),
  primitive: z.string().min(1).optional(),
  prefix: z.string().optional(),
});

export const mappingSchema = z.strictObject({
  format: z.literal(MAPPING_FORMAT),
  version: z.literal(MAPPING_VERSION),
  nulls: z.enum(['null', 'omit']).optional(),
  tables: z.record(z.string(), tableRule).optional(),
  relations: z.record(z.string(), relationRule).optional(),
});

export type MappingDocument = z.infer<typeof mappingSchema>;
export type RelationRule = z.infer<typeof relationRule>;

/** Parses and validates a mapping document (text or parsed JSON); the error names each problem's place. */
export function parseMapping(input: string | unknown, where = 'mapping'): MappingDocument {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new Error(`${where}: not valid JSON: ${(error as Error).message}`);
    }
  }
  if (
    value &&
    typeof value === 'object' &&
    (value as { version?: unknown }).version !== undefined &&
    (value as { version?: unknown }).version !== MAPPING_VERSION
  ) {
    throw new Error(
      `${where}: version ${JSON.stringify((value as { version?: unknown }).version)} is not supported (this Cutover reads version ${MAPPING_VERSION}).`,
    );
  }
  const result = mappingSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.length ? issue.path.join('.') : '(top)'}: ${issue.message}`,
    );
    throw new Error(`${where} is not a valid mapping: ${problems.join('; ')}`);
  }
  return result.data;
}

/** A collection per table named after it (schema_table when two schemas share a name), every relation a reference. */
export function defaultMapping(schema: DatabaseSchema): MappingDocument {
  const tables: NonNullable<MappingDocument['tables']> = {};
  for (const table of schema.tables)
    tables[table.id] = { include: true, collection: defaultCollectionName(schema, table) };
  return { format: MAPPING_FORMAT, version: MAPPING_VERSION, nulls: 'null', tables, relations: {} };
}

function defaultCollectionName(schema: DatabaseSchema, table: Table): string {
  const clash = schema.tables.some((t) => t !== table && t.name === table.name);
  return clash ? `${table.schema}_${table.name}` : table.name;
}

// ---------------------------------------------------------------- the resolved plan

export interface FieldPlan {
  column: Column;
  /** The column's position in its table. */
  index: number;
  name: string;
  type?: BsonType;
  nulls: 'null' | 'omit';
}

export interface EmbedPlan {
  relation: ForeignKey;
  kind: 'children' | 'parent' | 'merge';
  /** children / parent: the field holding the array or sub-document. */
  field: string;
  /** merge: the prefix of the parent's field names. */
  prefix: string;
  /** children: make an array of this field's values. */
  primitive?: FieldPlan;
  node: NodePlan;
}

/** A table as it appears in a document (the root, or embedded): its fields and its own embeddings. */
export interface NodePlan {
  table: Table;
  fields: FieldPlan[];
  embeds: EmbedPlan[];
}

export interface CollectionPlan {
  name: string;
  root: NodePlan;
  /** The root's primary key columns (empty: no primary key, _id from the row's content). */
  idFields: FieldPlan[];
}

export interface ResolvedMapping {
  collections: CollectionPlan[];
  /** Problems that stop the job (unknown names, clashes, cycles…), each naming where. */
  errors: string[];
  /** Cycles in the foreign keys (informational: they stay references unless embedded). */
  foreignKeyCycles: string[];
}

/** Checks a mapping against the source's schema and builds the plan of every collection. */
export function resolveMapping(schema: DatabaseSchema, mapping: MappingDocument): ResolvedMapping {
  const errors: string[] = [];
  const tables = new Map(schema.tables.map((t) => [t.id, t]));
  const relations = new Map(schema.tables.flatMap((t) => t.foreignKeys.map((fk) => [fk.id, fk] as const)));
  for (const id of Object.keys(mapping.tables ?? {})) {
    if (!tables.has(id)) errors.push(`tables.${id}: there is no table ${id} in the source.`);
    else {
      const table = tables.get(id)!;
      for (const column of Object.keys(mapping.tables?.[id]?.fields ?? {})) {
        if (!table.columns.some((c) => c.name === column))
          errors.push(`tables.${id}.fields.${column}: table ${id} has no column ${column}.`);
      }
    }
  }
  for (const [id, rule] of Object.entries(mapping.relations ?? {})) {
    const fk = relations.get(id);
    if (!fk) {
      errors.push(
        `relations.${id}: there is no foreign key ${id} in the source (ids are "<schema>.<table>:<constraint>").`,
      );
      continue;
    }
    if (rule.primitive !== undefined && rule.kind !== 'children')
      errors.push(`relations.${id}: "primitive" applies to kind "children" only.`);
    if (rule.primitive !== undefined && !tables.get(fk.table)?.columns.some((c) => c.name === rule.primitive))
      errors.push(`relations.${id}: table ${fk.table} has no column ${rule.primitive} for the primitive array.`);
  }

  const embedsOf = (table: Table): Array<{ fk: ForeignKey; rule: RelationRule; contained: Table }> => {
    const out: Array<{ fk: ForeignKey; rule: RelationRule; contained: Table }> = [];
    // Relations in a stable order: the table's own foreign keys (parent / merge), then those pointing at it (children).
    for (const fk of table.foreignKeys) {
      const rule = mapping.relations?.[fk.id];
      if (rule && (rule.kind === 'parent' || rule.kind === 'merge') && tables.has(fk.refTable))
        out.push({ fk, rule, contained: tables.get(fk.refTable)! });
    }
    for (const other of schema.tables) {
      for (const fk of other.foreignKeys) {
        const rule = mapping.relations?.[fk.id];
        if (fk.refTable === table.id && rule?.kind === 'children') out.push({ fk, rule, contained: other });
      }
    }
    return out;
  };

  const cycles = embeddingCycles(schema, embedsOf);
  for (const cycle of cycles)
    errors.push(
      `The embeddings form a cycle: ${cycle.path}. Keep one of these relations as a reference: ${cycle.relations.join(', ')}.`,
    );

  const collections: CollectionPlan[] = [];
  if (cycles.length === 0) {
    const names = new Map<string, string>();
    for (const table of schema.tables) {
      const rule = mapping.tables?.[table.id];
      if (rule?.include === false) continue;
      const name = rule?.collection ?? defaultCollectionName(schema, table);
      if (names.has(name))
        errors.push(`tables.${table.id}: collection "${name}" is also the collection of ${names.get(name)}.`);
      names.set(name, table.id);
      if (name.startsWith('system.') || name.includes('$') || name.includes('\0'))
        errors.push(`tables.${table.id}: "${name}" is not a valid collection name.`);
      const root = buildNode(table, mapping, embedsOf, errors, table.id);
      const idFields = table.primaryKey.map(
        (column) => root.fields.find((f) => f.column.name === column) ?? fieldPlan(table, column, mapping),
      );
      if (table.primaryKey.length === 1) root.fields = root.fields.filter((f) => f.column.name !== table.primaryKey[0]);
      else if (table.primaryKey.length > 1)
        root.fields = root.fields.filter((f) => !table.primaryKey.includes(f.column.name));
      checkClashes(root, errors, `collection ${name}`, ['_id']);
      collections.push({ name, root, idFields });
    }
  }
  return { collections, errors, foreignKeyCycles: foreignKeyCycles(schema) };
}

function fieldPlan(table: Table, columnName: string, mapping: MappingDocument): FieldPlan {
  const index = table.columns.findIndex((c) => c.name === columnName);
  const column = table.columns[index];
  const rule = mapping.tables?.[table.id]?.fields?.[columnName];
  return {
    column,
    index,
    name: rule?.name ?? column.name,
    type: rule?.type,
    nulls: rule?.nulls ?? mapping.nulls ?? 'null',
  };
}

function buildNode(
  table: Table,
  mapping: MappingDocument,
  embedsOf: (table: Table) => Array<{ fk: ForeignKey; rule: RelationRule; contained: Table }>,
  errors: string[],
  where: string,
): NodePlan {
  const fields = table.columns
    .filter((c) => mapping.tables?.[table.id]?.fields?.[c.name]?.include !== false)
    .map((c) => fieldPlan(table, c.name, mapping));
  const embeds: EmbedPlan[] = [];
  for (const { fk, rule, contained } of embedsOf(table)) {
    const node = buildNode(contained, mapping, embedsOf, errors, `${where} > ${contained.id}`);
    const kind = rule.kind as EmbedPlan['kind'];
    const embed: EmbedPlan = {
      relation: fk,
      kind,
      field: rule.field ?? contained.name,
      prefix: rule.prefix ?? '',
      node,
    };
    if (kind === 'children' && rule.primitive) {
      embed.primitive = node.fields.find((f) => f.column.name === rule.primitive);
      if (!embed.primitive)
        errors.push(
          `relations.${fk.id}: column ${rule.primitive} of ${contained.id} is not included, so it cannot make the primitive array.`,
        );
    }
    embeds.push(embed);
  }
  return { table, fields, embeds };
}

/** The names a node puts at its level of the document; two with the same name are an error. */
function checkClashes(node: NodePlan, errors: string[], where: string, reserved: string[]): void {
  const seen = new Map<string, string>(reserved.map((name) => [name, 'the _id']));
  const add = (name: string, what: string) => {
    if (seen.has(name))
      errors.push(
        `${where}: field "${name}" comes from both ${seen.get(name)} and ${what}; rename one (fields.name, or the relation's field / prefix).`,
      );
    else seen.set(name, what);
    if (name.startsWith('$')) errors.push(`${where}: field "${name}" may not start with "$".`);
  };
  const level = (n: NodePlan, prefix: string) => {
    for (const f of n.fields) add(prefix + f.name, `column ${n.table.id}.${f.column.name}`);
    for (const e of n.embeds) {
      if (e.kind === 'merge') level(e.node, prefix + e.prefix);
      else add(prefix + e.field, `relation ${e.relation.id}`);
      if (e.kind !== 'merge') checkClashes(e.node, errors, `${where} > ${e.field}`, []);
    }
  };
  level(node, '');
}

/** Cycles of embeddings (container → embedded table): each would nest endlessly. */
function embeddingCycles(
  schema: DatabaseSchema,
  embedsOf: (table: Table) => Array<{ fk: ForeignKey; rule: RelationRule; contained: Table }>,
): Array<{ path: string; relations: string[] }> {
  const found: Array<{ path: string; relations: string[] }> = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: Array<{ table: string; via?: string }> = [];
  const visit = (table: Table, via?: string) => {
    state.set(table.id, 'open');
    stack.push({ table: table.id, via });
    for (const { fk, contained } of embedsOf(table)) {
      if (state.get(contained.id) === 'open') {
        const onLoop = stack.slice(stack.findIndex((s) => s.table === contained.id));
        const relations = [...onLoop.slice(1).map((s) => s.via!), fk.id];
        const key = [...relations].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          found.push({ path: [...onLoop.map((s) => s.table), contained.id].join(' → '), relations });
        }
      } else if (!state.has(contained.id)) {
        visit(contained, fk.id);
      }
    }
    stack.pop();
    state.set(table.id, 'done');
  };
  for (const table of schema.tables) if (!state.has(table.id)) visit(table);
  return found;
}

/** Cycles in the foreign-key graph itself (a table referring to itself, or A → B → A). */
function foreignKeyCycles(schema: DatabaseSchema): string[] {
  const out: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const byId = new Map(schema.tables.map((t) => [t.id, t]));
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const fk of byId.get(id)?.foreignKeys ?? []) {
      if (state.get(fk.refTable) === 'open')
        out.push([...stack.slice(stack.indexOf(fk.refTable)), fk.refTable].join(' → '));
      else if (!state.has(fk.refTable)) visit(fk.refTable);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const t of schema.tables) if (!state.has(t.id)) visit(t.id);
  return out;
}
