/**
 * The pre-flight report of a relational job, before anything is written: per collection its root table,
 * what it embeds, the rows (the server's estimate), an estimated document size, and the risks: mapping
 * errors, a document that may pass 16 MB, precision and time-zone notes from the column types, types with
 * no BSON equivalent, tables without a primary key, foreign-key cycles, and what the snapshot guarantees.
 */
import type { MessageLevel, ReportOptions } from '../api/index';
import type { CollectionPlan, NodePlan, ResolvedMapping } from './mapping';
import type { DatabaseSchema } from './schema';
import type { SnapshotMode, TableStats } from './source';
import { columnRisk } from './types';
import { MAX_DOCUMENT_BYTES } from './build';
import { formatBytes } from '../shared/format';

export interface PreflightInput {
  schema: DatabaseSchema;
  resolved: ResolvedMapping;
  stats: TableStats;
  snapshot: SnapshotMode;
  targetLabel: string;
  /** Documents already in each target collection. */
  targetDocs: Map<string, number>;
  resuming: boolean;
}

export interface Preflight {
  report: ReportOptions;
  blocked: boolean;
  totalRows: number;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Sizes read as everywhere in Cutover ("1,002 KB", "3.4 MB": providers/shared/format.ts). */
const size = (bytes: number): string => formatBytes(Math.round(bytes));

/** The average document size of a node: its row, plus its embedded rows (children weighted by how many there are per row). */
function estimateNode(node: NodePlan, stats: TableStats): number {
  const own = stats.get(node.table.id);
  let bytes = own?.avgRowBytes ?? 0;
  for (const embed of node.embeds) {
    const inner = estimateNode(embed.node, stats);
    if (embed.kind === 'children') {
      const perRow = own && own.rows > 0 ? (stats.get(embed.node.table.id)?.rows ?? 0) / own.rows : 0;
      bytes += perRow * inner;
    } else bytes += inner;
  }
  return bytes;
}

function embedsLabel(node: NodePlan): string {
  return node.embeds
    .map((e) => {
      const inner = embedsLabel(e.node);
      const what =
        e.kind === 'children'
          ? `${e.field}[]`
          : e.kind === 'parent'
            ? `${e.field}{}`
            : `+${e.node.table.name}${e.prefix ? ` (${e.prefix}*)` : ''}`;
      return inner ? `${what} (${inner})` : what;
    })
    .join(', ');
}

export function buildPreflight(input: PreflightInput): Preflight {
  const { schema, resolved, stats } = input;
  const notes: Array<{ level: MessageLevel; text: string }> = [];
  for (const error of resolved.errors) notes.push({ level: 'error', text: error });
  if (input.resuming)
    notes.push({
      level: 'info',
      text: 'An earlier run of this job stopped before the end: it carries on from its checkpoints on the target.',
    });
  const busy = resolved.collections.filter((c) => (input.targetDocs.get(c.name) ?? 0) > 0);
  if (busy.length && !input.resuming)
    notes.push({
      level: 'warning',
      text: `The target already has documents in ${busy.map((c) => c.name).join(', ')}: with "stop" nothing is written; choose "drop" or "overwrite" to replace them.`,
    });
  notes.push({
    level: 'info',
    text:
      schema.dialect === 'postgres'
        ? 'Snapshot: one consistent snapshot (REPEATABLE READ, exported with pg_export_snapshot) that every parallel reader joins.'
        : input.snapshot === 'single'
          ? 'Snapshot: one consistent snapshot on one connection; collections are read in turn in keyset pages (slower, consistent across tables).'
          : 'Snapshot: each stream reads in its own consistent snapshot (MySQL/MariaDB cannot share one between connections): if the source is being written, tables may not be consistent with each other. Choose "one snapshot" for that.',
  });
  const seen = new Set<string>();
  const visit = (node: NodePlan) => {
    for (const f of node.fields) {
      const key = `${node.table.id}.${f.column.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const risk = columnRisk(schema.dialect, f.column);
      if (risk) notes.push({ level: 'warning', text: `${key}: ${risk}.` });
    }
    for (const e of node.embeds) visit(e.node);
  };
  const rows = resolved.collections.map((c: CollectionPlan) => {
    visit(c.root);
    for (const f of c.idFields) visit({ table: c.root.table, fields: [f], embeds: [] });
    const tableRows = stats.get(c.root.table.id)?.rows ?? 0;
    const docBytes = estimateNode(c.root, stats);
    if (c.root.table.primaryKey.length === 0)
      notes.push({
        level: 'warning',
        text: `${c.root.table.id} has no primary key: it is read in one stream, each document's _id comes from the row's content and its occurrence (a re-run never duplicates), and a resumed job restarts this table.`,
      });
    if (docBytes > MAX_DOCUMENT_BYTES)
      notes.push({
        level: 'error',
        text: `${c.name}: documents would average ${size(docBytes)}, over MongoDB's 16 MB limit. Keep some relations as references.`,
      });
    else if (docBytes > MAX_DOCUMENT_BYTES / 16)
      notes.push({
        level: 'warning',
        text: `${c.name}: documents average ${size(docBytes)}; a row with many more embedded rows than average may pass 16 MB (the job then stops and names it).`,
      });
    return {
      collection: c.name,
      table: c.root.table.id,
      embeds: embedsLabel(c.root) || '—',
      rows: count(tableRows),
      size: `≈ ${size(docBytes)}`,
      state: (input.targetDocs.get(c.name) ?? 0) > 0 ? `${count(input.targetDocs.get(c.name)!)} documents` : 'empty',
    };
  });
  for (const cycle of resolved.foreignKeyCycles)
    notes.push({
      level: 'info',
      text: `Foreign keys form a cycle (${cycle}): embedding along all of it would never end, so at least one of its relations stays a reference.`,
    });
  const excluded = schema.tables.length - resolved.collections.length;
  const blocked = notes.some((n) => n.level === 'error');
  return {
    blocked,
    totalRows: resolved.collections.reduce((sum, c) => sum + (stats.get(c.root.table.id)?.rows ?? 0), 0),
    report: {
      title: 'Before writing: the relational migration',
      message: `${resolved.collections.length} collection${resolved.collections.length === 1 ? '' : 's'} to ${input.targetLabel}${excluded ? ` (${excluded} table${excluded === 1 ? '' : 's'} left out)` : ''}. Rows and sizes are the server's estimates.`,
      columns: [
        { id: 'collection', label: 'Collection' },
        { id: 'table', label: 'From table' },
        { id: 'embeds', label: 'Embeds' },
        { id: 'rows', label: 'Rows', align: 'right' },
        { id: 'size', label: 'Document size', align: 'right' },
        { id: 'state', label: 'Target now' },
      ],
      rows,
      notes,
      actions: [
        ...(blocked ? [] : [{ id: 'start', label: input.resuming ? 'Resume' : 'Start', primary: true }]),
        { id: 'change', label: 'Change the mapping', primary: blocked },
      ],
    },
  };
}
