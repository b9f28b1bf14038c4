/**
 * A preview of real documents: the first few rows of a collection's root table, built with the same
 * streams and builder as the job (restricted to those rows' keys, so it stays cheap on large tables).
 * The pre-flight report shows it, so every change of the mapping shows its effect on real data.
 */
import { BSON, type Document } from 'mongodb';
import { DocumentBuilder } from './build';
import type { CollectionPlan } from './mapping';
import { planStreams } from './query-plan';
import type { Dialect } from './schema';
import type { SqlSource } from './source';
import { EXACT_BSON } from '../shared/raw-bson';
import { emptyNotes } from './types';

export async function previewDocuments(source: SqlSource, dialect: Dialect, plan: CollectionPlan, count = 3): Promise<Document[]> {
  const snapshot = await source.snapshot('single');
  try {
    const stream = planStreams(dialect, plan);
    const roots = await snapshot.stream(stream.query({}), count);
    const first = await roots.next();
    await roots.close();
    if (!first) return [];
    const keys = first.slice(0, count).map((row) => row.slice(0, stream.rootKeyLength));
    const builder = await DocumentBuilder.open(stream, {
      dialect,
      collection: plan.name,
      idFields: plan.idFields,
      notes: emptyNotes(),
      open: (s) => snapshot.stream(s.query({ only: keys }), 1000),
    });
    try {
      const batch = await builder.nextBatch(count, 64 * 1024 * 1024);
      return (batch?.raws ?? []).map((raw) => BSON.deserialize(raw, EXACT_BSON));
    } finally {
      await builder.close();
    }
  } finally {
    await snapshot.close();
  }
}

/** A document as one line of relaxed Extended JSON, cut at `max` characters. */
export function previewLine(doc: Document, max = 1_000): string {
  const text = BSON.EJSON.stringify(doc, { relaxed: true });
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
