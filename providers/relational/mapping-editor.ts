/**
 * The provider's side of the mapping screen (UiPort.mapping): what the window is shown of the source (tables,
 * columns, foreign keys, cycles; no rows), and what it may ask for: a live preview of three real documents
 * built by the job's own document builder, and the check of the mapping it answers with.
 *
 * The window is untrusted: its mapping is parsed with the zod schema and resolved against the introspected
 * schema (a table, column or foreign key that is not there is an error, never a query: SQL is only ever
 * built from the introspection), and a preview is bounded in size, rows and time (preview.ts).
 */
import type { MappingPreview, MappingSource } from '../api/index';
import { parseMapping, resolveMapping, type CollectionPlan } from './mapping';
import { previewDocuments, previewLine, type PreviewLimits } from './preview';
import type { DatabaseSchema } from './schema';
import type { SqlSource, TableStats } from './source';
import { BSON_TYPES, defaultBsonType } from './types';

/** A preview document is cut past this many characters (the window shows three). */
const MAX_PREVIEW_CHARS = 20_000;

export function mappingSource(schema: DatabaseSchema, stats?: TableStats): MappingSource {
  const resolved = resolveMapping(schema, {
    format: 'cutover-relational-mapping',
    version: 1,
  });
  return {
    dialect: schema.dialect,
    tables: schema.tables.map((table) => ({
      id: table.id,
      name: table.name,
      primaryKey: table.primaryKey,
      ...(stats?.get(table.id) ? { rows: Math.max(0, stats.get(table.id)!.rows) } : {}),
      columns: table.columns.map((c) => ({
        name: c.name,
        sqlType: c.sqlType,
        type: defaultBsonType(c),
        nullable: c.nullable,
      })),
      foreignKeys: table.foreignKeys.map((fk) => ({
        id: fk.id,
        name: fk.name,
        columns: fk.columns,
        refTable: fk.refTable,
        refColumns: fk.refColumns,
      })),
    })),
    types: [...BSON_TYPES],
    cycles: resolved.foreignKeyCycles,
  };
}

/** The problems of a mapping from the window (parse, then against the schema), or an empty list. */
export function mappingProblems(
  schema: DatabaseSchema,
  text: string,
): { errors: string[]; collections: CollectionPlan[] } {
  let mapping;
  try {
    mapping = parseMapping(text);
  } catch (error) {
    return { errors: [(error as Error).message], collections: [] };
  }
  const resolved = resolveMapping(schema, mapping);
  if (resolved.errors.length === 0 && resolved.collections.length === 0)
    return {
      errors: ['The mapping includes no table: include at least one.'],
      collections: [],
    };
  return { errors: resolved.errors, collections: resolved.collections };
}

/** Why the window's mapping cannot be used (for UiPort.mapping's validate), or undefined. */
export function checkEditedMapping(schema: DatabaseSchema, text: string): string | undefined {
  const { errors } = mappingProblems(schema, text);
  return errors.length ? errors.join(' ') : undefined;
}

/**
 * Three real documents of one collection of the window's mapping: the one asked for, else the first that
 * embeds something, else the first. Never throws: a problem comes back in `errors`.
 */
export async function previewMapping(
  sql: SqlSource,
  schema: DatabaseSchema,
  text: string,
  collection?: string,
  limits: PreviewLimits = {},
): Promise<MappingPreview> {
  const { errors, collections } = mappingProblems(schema, text);
  const names = collections.map((c) => c.name);
  if (errors.length) return { collections: names, documents: [], errors };
  const plan =
    collections.find((c) => c.name === collection) ??
    collections.find((c) => c.root.embeds.length > 0) ??
    collections[0];
  try {
    const docs = await previewDocuments(sql, schema.dialect, plan, limits);
    return {
      collection: plan.name,
      collections: names,
      documents: docs.map((doc) => previewLine(doc, MAX_PREVIEW_CHARS)),
      errors: [],
    };
  } catch (error) {
    return {
      collection: plan.name,
      collections: names,
      documents: [],
      errors: [(error as Error).message],
    };
  }
}
