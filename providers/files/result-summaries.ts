/**
 * What the person reads when an import or export ends (summary, stats, details) and how a dump's views
 * look in the progress list: built from the worker's outcome, no I/O.
 */
import type { ActionResult } from '../api/index';
import { formatBytes, formatCount, plural } from '../shared/format';
import type { Detection } from './detect';
import type { ViewResult } from './dump-views';
import type { ExportOutcome } from './export-engine';
import { FORMAT_LABELS } from './formats';
import type { ImportOutcome } from './import-engine';

/** Joins sentences with full stops: a message that ends without one (an error of the driver) gets one. */
export function sentences(...parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (/[.!?:]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

/** How a view's row looks in the progress list. */
export const VIEW_ITEM: Record<
  ViewResult['status'],
  { status: 'pending' | 'running' | 'done' | 'failed' | 'skipped'; detail?: string }
> = {
  pending: { status: 'pending' },
  created: { status: 'done', detail: 'view created' },
  replaced: { status: 'done', detail: 'view created (what had its name was dropped)' },
  unchanged: { status: 'done', detail: 'the same view was there already' },
  kept: { status: 'skipped', detail: 'the name is taken: left as it was' },
  skipped: { status: 'skipped' },
  failed: { status: 'failed' },
};

export function importResult(outcome: ImportOutcome, db: string, detection: Detection): ActionResult {
  const docs = outcome.sources.reduce((sum, s) => sum + s.docs, 0);
  const skipped = outcome.sources.reduce((sum, s) => sum + s.skipped, 0);
  const bytes = outcome.sources.reduce((sum, s) => sum + s.bytes, 0);
  const indexes = outcome.sources.reduce((sum, s) => sum + s.indexes, 0);
  const targets = outcome.sources.map((s) => `${db}.${s.coll}`).join(', ') || db;
  const created = outcome.views.filter((v) => v.status === 'created' || v.status === 'replaced');
  const stats = [
    { label: 'Documents imported', value: formatCount(docs) },
    ...(skipped ? [{ label: 'Already there (kept)', value: formatCount(skipped) }] : []),
    { label: 'Bad rows (not imported)', value: formatCount(outcome.errorCount) },
    ...(outcome.errorLog ? [{ label: 'Error log', value: outcome.errorLog }] : []),
    ...(outcome.errorLogCapped
      ? [{ label: 'Error log cap', value: 'reached: later bad rows were counted, not logged' }]
      : []),
    { label: 'Data read', value: formatBytes(bytes) },
    { label: 'Format', value: FORMAT_LABELS[detection.format] },
    { label: 'Into', value: targets },
    ...(indexes ? [{ label: 'Indexes restored', value: String(indexes) }] : []),
    ...(outcome.views.length
      ? [{ label: 'Views created', value: `${created.length} of ${outcome.views.length}` }]
      : []),
    ...(outcome.resumed ? [{ label: 'Resumed', value: 'yes: carried on from the checkpoint on the target' }] : []),
  ];
  const details = [
    ...(outcome.firstErrors.length
      ? [
          {
            title: `Bad rows${outcome.errorCount > outcome.firstErrors.length ? ` (first ${outcome.firstErrors.length} of ${formatCount(outcome.errorCount)}; all in the error log)` : ''}`,
            items: outcome.firstErrors,
          },
        ]
      : []),
    ...(outcome.views.length
      ? [
          {
            title: 'Views',
            items: outcome.views.map((v) => `${db}.${v.coll}: view on ${v.viewOn}: ${VIEW_OUTCOMES[v.status]}`),
          },
        ]
      : []),
  ];
  if (outcome.cancelled) {
    const incomplete = outcome.sources.every((s) => s.status === 'done')
      ? 'the views were not all created'
      : 'the collection is incomplete';
    return {
      outcome: 'cancelled',
      summary: `Cancelled. ${plural(docs, 'document')} ${docs === 1 ? 'was' : 'were'} imported into ${targets}; ${incomplete}. Run the same import again to resume from the last checkpoint.`,
      stats,
      details,
    };
  }
  const logged = outcome.errorLogCapped
    ? ` the error log ${outcome.errorLog} lists the first of them (it is capped: the rest were counted, not logged)`
    : ` see the error log ${outcome.errorLog}`;
  const bad = outcome.errorCount
    ? ` ${plural(outcome.errorCount, 'bad row')} ${outcome.errorCount === 1 ? 'was' : 'were'} not imported:${outcome.errorLog ? logged : ' the error log could not be written (see the warnings)'}.`
    : '';
  const imported = outcome.sources.length
    ? `Imported ${formatCount(docs)} ${docs === 1 ? 'document' : 'documents'} into ${targets}.`
    : '';
  return {
    outcome: 'succeeded',
    heading: 'Import finished',
    summary: [imported, viewsSummary(outcome.views, db), bad.trim()].filter(Boolean).join(' '),
    stats,
    details,
  };
}

const VIEW_OUTCOMES: Record<ViewResult['status'], string> = {
  pending: 'not created',
  created: 'created',
  replaced: 'created; what had its name was dropped first',
  unchanged: 'already there with the same definition',
  kept: 'not created: its name is taken, and that was left as it was',
  skipped: 'not created (cancelled)',
  failed: 'refused by the target',
};

function viewsSummary(views: ViewResult[], db: string): string {
  if (!views.length) return '';
  const created = views.filter((v) => v.status === 'created' || v.status === 'replaced').map((v) => v.coll);
  const kept = views.filter((v) => v.status === 'kept').map((v) => v.coll);
  const unchanged = views.filter((v) => v.status === 'unchanged').map((v) => v.coll);
  const plural = (n: number) => (n === 1 ? 'view' : 'views');
  const parts = [
    `${created.length} ${plural(created.length)} created in ${db}${created.length ? ` (${created.join(', ')})` : ''}.`,
  ];
  if (unchanged.length) parts.push(`Already there with the same definition: ${unchanged.join(', ')}.`);
  if (kept.length) parts.push(`Not created because the name is taken: ${kept.join(', ')} (see the warnings).`);
  return parts.join(' ');
}

export function viewExportResult(outcome: ExportOutcome, name: string, viewOn: string): ActionResult {
  return {
    outcome: 'succeeded',
    heading: 'Export finished',
    summary: `${name} is a view on ${viewOn}: its definition was written to ${outcome.file}, as mongodump does (no documents). Importing the folder, or mongorestore, recreates the view; export ${viewOn} into the same folder for its documents.`,
    stats: [
      { label: 'View on', value: viewOn },
      { label: 'Documents exported', value: '0 (a view holds none of its own)' },
      { label: 'Format', value: 'mongodump' },
      ...(outcome.file ? [{ label: 'Folder', value: outcome.file }] : []),
    ],
  };
}
