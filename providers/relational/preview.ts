/**
 * A preview of real documents: the first few rows of a collection's root table, built with the same
 * streams and builder as the job (restricted to those rows' keys, so it stays cheap on large tables).
 * The pre-flight report and the mapping screen show it, so every change of the mapping shows its effect
 * on real data. Bounded: rows read across the embedded streams, and time (the mapping screen asks for a
 * preview at every change, and its mapping comes from the window).
 */
import { BSON, type Document } from 'mongodb';
import { DocumentBuilder } from './build';
import type { CollectionPlan } from './mapping';
import { planStreams, type StreamPlan } from './query-plan';
import type { Dialect } from './schema';
import type { RowStream, Snapshot, SqlSource } from './source';
import { EXACT_BSON } from '../shared/raw-bson';
import { emptyNotes } from './types';
import { CutoverError } from '../api/index';

export interface PreviewLimits {
  /** Documents to build (default 3). */
  count?: number;
  /** Rows read in all (roots and embedded rows) before the preview stops (default 10,000). */
  maxRows?: number;
  /** Milliseconds before the preview stops (default 15 s). */
  timeoutMs?: number;
  /** Streams (a connection each on PostgreSQL) the preview may open at once (default 32). */
  maxStreams?: number;
}

export class PreviewLimitError extends CutoverError {
  override name = 'PreviewLimitError';
}

export async function previewDocuments(
  source: SqlSource,
  dialect: Dialect,
  plan: CollectionPlan,
  limits: PreviewLimits = {},
): Promise<Document[]> {
  const count = limits.count ?? 3;
  const maxRows = limits.maxRows ?? 10_000;
  const timeoutMs = limits.timeoutMs ?? 15_000;
  let snapshot: Snapshot | undefined;
  let timer: NodeJS.Timeout | undefined;
  let rowsRead = 0;
  let timedOut = false;
  const opened: RowStream[] = [];
  // Every stream counts its rows: embedded rows of three documents can be many (a parent with millions of children).
  const counted = (stream: RowStream): RowStream => {
    opened.push(stream);
    return {
      async next() {
        const rows = await stream.next();
        rowsRead += rows?.length ?? 0;
        if (rowsRead > maxRows)
          throw new PreviewLimitError(
            `The preview of ${plan.name} stopped after ${maxRows.toLocaleString('en-US')} rows: its first documents embed more rows than a preview reads.`,
          );
        return rows;
      },
      close: () => stream.close(),
    };
  };
  const work = (async () => {
    const stream = planStreams(dialect, plan);
    const streams = countStreams(stream);
    const maxStreams = limits.maxStreams ?? 32;
    if (streams > maxStreams)
      throw new PreviewLimitError(
        `The preview of ${plan.name} would read ${streams} tables at once (arrays inside arrays); a preview reads at most ${maxStreams}. Preview a collection that embeds fewer.`,
      );
    snapshot = await source.snapshot('single');
    if (timedOut) throw new PreviewLimitError('timed out');
    const roots = counted(await snapshot.stream(stream.query({}), count));
    const first = await roots.next();
    await roots.close();
    if (!first) return [];
    const keys = first.slice(0, count).map((row) => row.slice(0, stream.rootKeyLength));
    const open = snapshot;
    const builder = await DocumentBuilder.open(stream, {
      dialect,
      collection: plan.name,
      idFields: plan.idFields,
      notes: emptyNotes(),
      open: async (s) => counted(await open.stream(s.query({ only: keys }), Math.min(1_000, maxRows + 1))),
    });
    try {
      const batch = await builder.nextBatch(count, 64 * 1024 * 1024);
      return (batch?.raws ?? []).map((raw) => BSON.deserialize(raw, EXACT_BSON));
    } finally {
      await builder.close();
    }
  })();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        new PreviewLimitError(
          `The preview of ${plan.name} took more than ${timeoutMs >= 1_000 ? `${Math.round(timeoutMs / 1_000)} s` : `${timeoutMs} ms`} and was stopped.`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    if (timedOut) {
      // The streams' connections are closed under the running query, which ends it; the snapshot once it is free.
      for (const stream of opened) void stream.close().catch(() => undefined);
      void work.catch(() => undefined).finally(() => void snapshot?.close().catch(() => undefined));
    } else await snapshot?.close();
  }
}

function countStreams(stream: StreamPlan): number {
  let n = 1;
  for (const child of stream.children.values()) n += countStreams(child);
  return n;
}

/** A document as one line of relaxed Extended JSON, cut at `max` characters. */
export function previewLine(doc: Document, max = 1_000): string {
  const text = BSON.EJSON.stringify(doc, { relaxed: true });
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
