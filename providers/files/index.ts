/**
 * The built-in files provider: import JSON, JSON Lines, Extended JSON, CSV/TSV, BSON and mongodump
 * folders into a collection, and export a collection (or a query) to the same formats. This module owns
 * the person's flow (file, settings, preview, progress, result); parsing and writing run in the files
 * worker (files-worker.ts).
 *
 * Presets (`context.extendedProperties`; the CLI, History re-runs and a dropped file use them):
 *   import: file, format (auto|json|ndjson|csv|tsv|bson|mongodump), delimiter, coll, types (age:int,born:date),
 *           ignoreEmpty=yes, onError (stop|continue), conflict (abort|drop|skip|overwrite), maxLineMB,
 *           batchDocs, confirm=yes (no settings form, no preview)
 *   export: out, format (json|ndjson|csv|tsv|mongodump), ejson (canonical|relaxed), query (EJSON filter),
 *           fields (a,b.c), gzip=yes, keepPartial=yes, confirm=yes (no settings form)
 *
 * Presets come from the host only (the window cannot give any). Without `file` / `out` the path comes
 * from the host's own chooser (`ui.chooseFile`); an existing file is replaced only when the host asked
 * (`ui.confirmReplace`, or the Save dialog that chose it): confirm=yes never skips that.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ActionHost, ActionResult, FormField, FormValues, MigrationContext, MigrationProvider, PauseToken, PickItem } from '../api/index';
import { CancelledError, problemOf } from '../api/index';
import { defaultDataDir } from '../api/data-dir';
import { formatBytes, formatCount, plural } from '../shared/format';
import { CSV_TYPES, CSV_TYPE_LABELS, formatTypeOverrides, type CsvType } from './csv-types';
import { detectFile, type Detection } from './detect';
import type { ImportView, ViewResult } from './dump-views';
import { exportMetadataFile, exportTarget, type ExportOutcome } from './export-engine';
import { EXPORT_FORMATS, FORMAT_LABELS, IMPORT_FORMATS, InputError } from './formats';
import type { ImportOutcome, ImportSource, SourceResult } from './import-engine';
import { buildPreview, type Preview } from './preview';
import { WorkerJobError, startExportInWorker, startImportInWorker } from './run-in-worker';
import { CONFLICTS, CONFLICT_LABELS, checkQuery, collectionFromFile, exportSettingsFrom, importSettingsFrom, parseDelimiter, type ExportSettings, type ImportSettings } from './settings';

export const IMPORT_ACTION = 'import';
export const EXPORT_ACTION = 'export';

export interface FilesProviderOptions {
  /** Where error logs go (`<dataDir>/files/errors/`); defaults to Cutover's data folder. */
  dataDir?: string;
}

export function createFilesProvider(options: FilesProviderOptions = {}): MigrationProvider {
  return {
    id: 'files',
    label: 'Files: import and export',
    description: 'Import JSON, JSON Lines, Extended JSON, CSV/TSV or mongodump folders into a collection, or export a collection or a query to them: streaming, type-exact, resumable.',
    icon: '🗎',
    appliesTo: ['mongodb'],
    signalsBegin: true,
    unavailableReason: (context) => (context.databaseName ? undefined : 'Select a database (to import into) or a collection (to export) first.'),
    async getAvailableActions(context): Promise<PickItem[]> {
      return [
        {
          id: IMPORT_ACTION,
          label: 'Import a file',
          description: context.databaseName ? `Import JSON, JSON Lines, CSV/TSV or a mongodump folder into ${context.databaseName}` : 'Import into a database',
          disabledReason: context.databaseName ? undefined : 'Select a database first.',
        },
        {
          id: EXPORT_ACTION,
          label: 'Export to a file',
          description: context.collectionName ? `Export ${context.databaseName}.${context.collectionName} (or a query) to JSON, CSV or a mongodump folder` : 'Export a collection',
          disabledReason: context.collectionName ? undefined : 'Select a collection first.',
        },
      ];
    },
    checkPresets: (actionId, presets) => problemOf(() => (actionId === 'export' ? exportSettingsFrom(presets, presets.out ?? '') : importSettingsFrom(presets))),
    async executeAction(context, actionId, host) {
      const connection = context.connection;
      if (!connection || connection.kind !== 'mongodb') throw new Error('Connect to a MongoDB-family server first.');
      const dataDir = options.dataDir ?? defaultDataDir();
      if (actionId === IMPORT_ACTION || actionId === undefined) return importAction(context, connection.uri, host, dataDir);
      if (actionId === EXPORT_ACTION) return exportAction(context, connection.uri, host);
      throw new Error(`Unknown action ${actionId}.`);
    },
  };
}

// ------------------------------------------------------------------------------------------ import

const IMPORT_PHASES = { choose: 'Choose file', preview: 'Preview', import: 'Import', indexes: 'Indexes', views: 'Views' } as const;

async function importAction(context: MigrationContext, uri: string, host: ActionHost, dataDir: string): Promise<ActionResult> {
  const { ui, progress, cancellation, pause } = host;
  const db = context.databaseName;
  if (!db) throw new Error('Select the database to import into first.');
  const presets = context.extendedProperties;
  const stopped = () => new CancelledError('Cancelled before anything was imported.');
  const headless = presets.confirm === 'yes';
  progress.setPhases(Object.values(IMPORT_PHASES).filter((p) => p !== IMPORT_PHASES.views));
  progress.phase(IMPORT_PHASES.choose);

  const base = importSettingsFrom(presets);
  // A `file` preset comes from the host (the command line, History's record, a drop the core checked):
  // the window gives no presets. Otherwise the host's own chooser gives the path.
  let file = base.file;
  if (!file) {
    file = await ui.chooseFile({ mode: 'open', pick: 'file-or-folder', title: `Import into ${db}: choose a file or a mongodump folder`, filters: IMPORT_FILTERS });
    if (!file) throw stopped();
    try {
      await detectFile(file, { format: base.format });
    } catch (error) {
      // Detection failed: the person may still say what the file holds.
      const chosen = file;
      const answers = await ui.form({
        title: 'Import a file',
        description: `${chosen}: ${(error as Error).message}`,
        submitLabel: 'Next',
        fields: [formatField(base.format)],
        validate: async (values) => {
          try {
            await detectFile(chosen, { format: values.format && values.format !== 'auto' ? (values.format as ImportSettings['format']) : undefined });
            return undefined;
          } catch (again) {
            return (again as Error).message;
          }
        },
      });
      if (!answers) throw stopped();
      if (answers.format && answers.format !== 'auto') base.format = answers.format as ImportSettings['format'];
    }
  }
  let settings: ImportSettings = { ...base, file: path.resolve(file) };
  let detection: Detection;
  let preview: Preview;
  for (let askSettings = !headless; ; ) {
    detection = await detectFile(settings.file, { format: settings.format, delimiter: settings.delimiter });
    if (askSettings) {
      const answers = await ui.form(importForm(settings, detection, context));
      if (!answers) throw stopped();
      settings = fromImportForm(answers, settings);
      askSettings = false;
      detection = await detectFile(settings.file, { format: settings.format, delimiter: settings.delimiter });
    }
    progress.phase(IMPORT_PHASES.preview);
    preview = await buildPreview(detection, settings.types, settings.maxLineBytes);
    if (headless) break;
    const choice = await ui.report(previewReport(preview, detection, settings, db));
    if (choice === 'start') break;
    if (choice === 'types' && preview.csv) {
      const answers = await ui.form({
        title: 'Column types',
        description: 'Each column is converted to this type; a cell that does not fit is a bad row.',
        submitLabel: 'Preview again',
        fields: preview.csv.map((c, i) => ({ type: 'select' as const, id: `t${i}`, label: `${c.name}${c.inferred !== c.type ? ` (inferred: ${c.inferred})` : ''}`, value: c.type, options: CSV_TYPES.map((t) => ({ value: t, label: CSV_TYPE_LABELS[t] })) })),
      });
      if (answers) {
        const types: Record<string, CsvType> = {};
        preview.csv.forEach((c, i) => {
          const chosen = answers[`t${i}`] as CsvType | undefined;
          if (chosen && chosen !== c.inferred) types[c.name] = chosen;
        });
        settings = { ...settings, types };
      }
      continue;
    }
    if (choice === 'settings') {
      askSettings = true;
      continue;
    }
    throw stopped();
  }
  // The column types are fixed now (inferred + overrides), so the worker converts exactly what the preview showed.
  const csvTypes = preview.csv ? Object.fromEntries(preview.csv.map((c) => [c.name, c.type])) : undefined;
  const sources: ImportSource[] =
    detection.collections && detection.format === 'mongodump' ? detection.collections.map((c) => ({ file: c.file, format: 'bson', gzip: c.gzip, coll: c.coll, metadataFile: c.metadataFile }))
    : [{ file: settings.file, format: detection.format === 'mongodump' ? 'bson' : detection.format, gzip: detection.gzip, coll: settings.coll ?? defaultCollection(context, settings.file), jsonArray: detection.jsonArray, delimiter: detection.delimiter, types: csvTypes, metadataFile: detection.collections?.[0]?.metadataFile }];
  const dumpViews = detection.format === 'mongodump' ? (detection.views ?? []) : [];
  const views: ImportView[] = dumpViews.map((v) => ({ coll: v.coll, metadataFile: v.metadataFile }));
  host.remember(rememberImport(settings, detection, sources));
  host.begin();
  host.route({ from: path.basename(settings.file), to: `${context.connection?.name ?? 'MongoDB'} · ${db}${sources.length === 1 ? `.${sources[0].coll}` : ''}`, format: FORMAT_LABELS[detection.format] });
  if (cancellation.isCancellationRequested) throw stopped();

  if (views.length) progress.setPhases(Object.values(IMPORT_PHASES));
  progress.phase(IMPORT_PHASES.import);
  // What the dump holds but is left out: said in the preview, and here for imports that skip it.
  for (const note of detection.format === 'mongodump' ? (detection.dumpNotes ?? []) : []) progress.warn(note);
  const totalBytes = detection.format === 'mongodump' ? sources.reduce((sum, s) => sum + statSync(s.file).size, 0) : detection.size;
  progress.update({ docs: 0, bytes: 0, totalBytes });
  const rows = new Map<string, SourceResult>();
  const label = (s: { file: string; coll: string }) => `${path.basename(s.file)} → ${db}.${s.coll}`;
  sources.forEach((s) => progress.item({ id: s.file, label: label(s), status: 'pending', docs: 0, bytes: 0, totalBytes: statSync(s.file).size }));
  const onSource = (r: SourceResult) => {
    rows.set(r.file, r);
    progress.item({ id: r.file, label: label(r), status: r.status, docs: r.docs + r.skipped, bytes: r.bytes, totalBytes: r.totalBytes, detail: [r.bad ? plural(r.bad, 'bad row') : '', r.resumed ? 'resumed' : '', r.indexes ? plural(r.indexes, 'index', 'indexes') : ''].filter(Boolean).join(' · ') || undefined });
    let docs = 0;
    let bytes = 0;
    for (const row of rows.values()) {
      docs += row.docs + row.skipped;
      bytes += row.bytes;
    }
    progress.update({ docs, bytes, totalBytes });
  };
  const viewLabel = (v: { metadataFile: string; coll: string; viewOn: string }) => `${path.basename(v.metadataFile)} → ${db}.${v.coll} (view on ${v.viewOn})`;
  dumpViews.forEach((v) => progress.item({ id: v.metadataFile, label: viewLabel(v), status: 'pending' }));
  const onView = (v: ViewResult) => progress.item({ id: v.metadataFile, label: viewLabel(v), ...VIEW_ITEM[v.status] });
  const errorLog = path.join(dataDir, 'files', 'errors', `import-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.log`);
  const handle = startImportInWorker(
    { uri, db, sources, views, conflict: settings.conflict, onError: settings.onError, ignoreEmpty: settings.ignoreEmpty, maxLineBytes: settings.maxLineBytes, batchDocs: settings.batchDocs, errorLog },
    { phase: (name) => progress.phase(IMPORT_PHASES[name]), source: onSource, view: onView, warn: (m) => progress.warn(m) },
    cancellation.signal,
  );
  const unsubscribe = followPause(pause, handle);
  let outcome: ImportOutcome;
  try {
    outcome = await handle.done;
  } catch (error) {
    if (!(error instanceof WorkerJobError)) throw error;
    const failed = error.outcome as ImportOutcome;
    failed.sources?.forEach(onSource);
    failed.views?.forEach(onView);
    const docs = failed.sources?.reduce((sum, s) => sum + s.docs, 0) ?? 0;
    // A view that failed comes after every collection: its message says what to do instead of resuming.
    const viewFailed = failed.views?.some((v) => v.status === 'failed');
    const already = /documents before it are in/.test(error.message) || docs === 0 || viewFailed || failed.targetLost ? '' : `${plural(docs, 'document')} had been imported before it stopped; running the same import again resumes from the last checkpoint.`;
    const logged = failed.errorLog ? `Bad rows are listed in ${failed.errorLog}.` : '';
    throw new Error(sentences(error.message, already, logged));
  } finally {
    unsubscribe();
  }
  return importResult(outcome, db, detection);
}

/** Joins sentences with full stops: a message that ends without one (an error of the driver) gets one. */
export function sentences(...parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (/[.!?:]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

/** Forwards the job's Pause / Resume to the worker, including a pause pressed before the worker started. */
function followPause(pause: PauseToken, handle: { pause(): void; resume(): void }): () => void {
  if (pause.isPaused) handle.pause();
  return pause.onPauseChanged((paused) => (paused ? handle.pause() : handle.resume()));
}

/** How a view's row looks in the progress list. */
const VIEW_ITEM: Record<ViewResult['status'], { status: 'pending' | 'running' | 'done' | 'failed' | 'skipped'; detail?: string }> = {
  pending: { status: 'pending' },
  created: { status: 'done', detail: 'view created' },
  replaced: { status: 'done', detail: 'view created (what had its name was dropped)' },
  unchanged: { status: 'done', detail: 'the same view was there already' },
  kept: { status: 'skipped', detail: 'the name is taken: left as it was' },
  skipped: { status: 'skipped' },
  failed: { status: 'failed' },
};

function importResult(outcome: ImportOutcome, db: string, detection: Detection): ActionResult {
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
    ...(outcome.errorLogCapped ? [{ label: 'Error log cap', value: 'reached: later bad rows were counted, not logged' }] : []),
    { label: 'Data read', value: formatBytes(bytes) },
    { label: 'Format', value: FORMAT_LABELS[detection.format] },
    { label: 'Into', value: targets },
    ...(indexes ? [{ label: 'Indexes restored', value: String(indexes) }] : []),
    ...(outcome.views.length ? [{ label: 'Views created', value: `${created.length} of ${outcome.views.length}` }] : []),
    ...(outcome.resumed ? [{ label: 'Resumed', value: 'yes: carried on from the checkpoint on the target' }] : []),
  ];
  const details = [
    ...(outcome.firstErrors.length ? [{ title: `Bad rows${outcome.errorCount > outcome.firstErrors.length ? ` (first ${outcome.firstErrors.length} of ${formatCount(outcome.errorCount)}; all in the error log)` : ''}`, items: outcome.firstErrors }] : []),
    ...(outcome.views.length ? [{ title: 'Views', items: outcome.views.map((v) => `${db}.${v.coll}: view on ${v.viewOn}: ${VIEW_OUTCOMES[v.status]}`) }] : []),
  ];
  if (outcome.cancelled) {
    const incomplete = outcome.sources.every((s) => s.status === 'done') ? 'the views were not all created' : 'the collection is incomplete';
    return { outcome: 'cancelled', summary: `Cancelled. ${plural(docs, 'document')} ${docs === 1 ? 'was' : 'were'} imported into ${targets}; ${incomplete}. Run the same import again to resume from the last checkpoint.`, stats, details };
  }
  const logged = outcome.errorLogCapped ? ` the error log ${outcome.errorLog} lists the first of them (it is capped: the rest were counted, not logged)` : ` see the error log ${outcome.errorLog}`;
  const bad = outcome.errorCount ? ` ${plural(outcome.errorCount, 'bad row')} ${outcome.errorCount === 1 ? 'was' : 'were'} not imported:${outcome.errorLog ? logged : ' the error log could not be written (see the warnings)'}.` : '';
  const imported = outcome.sources.length ? `Imported ${formatCount(docs)} ${docs === 1 ? 'document' : 'documents'} into ${targets}.` : '';
  return { outcome: 'succeeded', heading: 'Import finished', summary: [imported, viewsSummary(outcome.views, db), bad.trim()].filter(Boolean).join(' '), stats, details };
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
  const parts = [`${created.length} ${plural(created.length)} created in ${db}${created.length ? ` (${created.join(', ')})` : ''}.`];
  if (unchanged.length) parts.push(`Already there with the same definition: ${unchanged.join(', ')}.`);
  if (kept.length) parts.push(`Not created because the name is taken: ${kept.join(', ')} (see the warnings).`);
  return parts.join(' ');
}

function defaultCollection(context: MigrationContext, file: string): string {
  return context.collectionName ?? collectionFromFile(file);
}

const IMPORT_FILTERS = [
  { name: 'Data files', extensions: ['json', 'jsonl', 'ndjson', 'csv', 'tsv', 'tab', 'txt', 'bson', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

function formatField(value: string | undefined): FormField {
  return { type: 'select', id: 'format', label: 'Format', value: value ?? 'auto', options: [{ value: 'auto', label: 'Detect from the file' }, ...IMPORT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))] };
}

function importForm(settings: ImportSettings, detection: Detection, context: MigrationContext) {
  const fields: FormField[] = [];
  if (detection.format !== 'mongodump') fields.push({ type: 'text', id: 'coll', label: 'Target collection', value: settings.coll ?? defaultCollection(context, settings.file), required: true });
  fields.push(
    formatField(settings.format),
    ...(detection.format === 'csv' || detection.format === 'tsv'
      ? [
          { type: 'select' as const, id: 'delimiter', label: 'Delimiter', value: detection.delimiter === '\t' ? 'tab' : detection.delimiter, options: [{ value: ',', label: 'Comma (,)' }, { value: ';', label: 'Semicolon (;)' }, { value: 'tab', label: 'Tab' }, { value: '|', label: 'Pipe (|)' }] },
          { type: 'checkbox' as const, id: 'ignoreEmpty', label: 'Leave out empty cells', value: settings.ignoreEmpty, help: 'Otherwise an empty cell becomes "" (text columns) or null.' },
        ]
      : []),
    { type: 'select', id: 'conflict', label: 'If the collection already has data', value: settings.conflict, options: CONFLICTS.map((c) => ({ value: c, label: CONFLICT_LABELS[c] })) },
    { type: 'select', id: 'onError', label: 'Bad rows', value: settings.onError, options: [{ value: 'stop', label: 'Stop at the first bad row' }, { value: 'continue', label: 'Continue, and list each bad row in an error log' }] },
  );
  return { title: 'Import settings', description: `${settings.file}: detected ${FORMAT_LABELS[detection.format]}${detection.gzip ? ' (gzip)' : ''}.`, submitLabel: 'Preview', fields };
}

function fromImportForm(values: FormValues, current: ImportSettings): ImportSettings {
  const format = values.format && values.format !== 'auto' ? (values.format as ImportSettings['format']) : undefined;
  return {
    ...current,
    coll: values.coll !== undefined ? String(values.coll).trim() || current.coll : current.coll,
    format,
    delimiter: values.delimiter !== undefined ? parseDelimiter(String(values.delimiter)) : current.delimiter,
    ignoreEmpty: values.ignoreEmpty !== undefined ? Boolean(values.ignoreEmpty) : current.ignoreEmpty,
    conflict: (values.conflict as ImportSettings['conflict']) ?? current.conflict,
    onError: (values.onError as ImportSettings['onError']) ?? current.onError,
  };
}

function previewReport(preview: Preview, detection: Detection, settings: ImportSettings, db: string) {
  const into = detection.format === 'mongodump' ? `the database ${db}` : `${db}.${settings.coll ?? collectionFromFile(settings.file)}`;
  return {
    title: 'Preview',
    message: `${settings.file} (${detection.format === 'mongodump' ? 'folder' : formatBytes(detection.size)}): ${preview.formatLabel}. Into ${into}; ${CONFLICT_LABELS[settings.conflict].toLowerCase()}; ${settings.onError === 'stop' ? 'stop at the first bad row' : 'bad rows are logged and skipped'}.`,
    columns: preview.columns,
    rows: preview.rows,
    notes: preview.notes,
    actions: [{ id: 'start', label: 'Start import', primary: true }, ...(preview.csv ? [{ id: 'types', label: 'Change column types' }] : []), { id: 'settings', label: 'Change settings' }],
  };
}

function rememberImport(settings: ImportSettings, detection: Detection, sources: ImportSource[]): Record<string, string> {
  const out: Record<string, string> = { file: settings.file, format: detection.format, conflict: settings.conflict, onError: settings.onError, confirm: 'yes' };
  if (detection.delimiter) out.delimiter = detection.delimiter === '\t' ? 'tab' : detection.delimiter;
  if (detection.format !== 'mongodump') out.coll = sources[0].coll;
  if (Object.keys(settings.types).length) out.types = formatTypeOverrides(settings.types);
  if (settings.ignoreEmpty) out.ignoreEmpty = 'yes';
  if (settings.maxLineBytes !== 8 * 1024 * 1024) out.maxLineMB = String(settings.maxLineBytes / 1048576);
  return out;
}

// ------------------------------------------------------------------------------------------ export

async function exportAction(context: MigrationContext, uri: string, host: ActionHost): Promise<ActionResult> {
  const { ui, progress, cancellation, pause } = host;
  const db = context.databaseName;
  const coll = context.collectionName;
  if (!db || !coll) throw new Error('Select the collection to export first.');
  const presets = context.extendedProperties;
  progress.setPhases(['Choose file', 'Export']);
  progress.phase('Choose file');
  // An `out` preset comes from the host (the command line, History's record); the window gives no presets.
  const presetOut = presets.out ? path.resolve(presets.out) : undefined;
  let settings = exportSettingsFrom(presets, presetOut ?? `${coll}.json`);
  if (presets.confirm !== 'yes') {
    const answers = await ui.form(exportForm(settings));
    if (!answers) throw new CancelledError('Cancelled before anything was exported.');
    settings = fromExportForm(answers, settings);
  }
  // What the export replaces: the file, or in a mongodump folder the .bson and its metadata (a view's alone).
  const replaced = (out: string) => {
    const request = { ...settings, out, db, coll };
    return [exportTarget(request), ...(settings.format === 'mongodump' ? [exportMetadataFile(request)] : [])];
  };
  const kept = () => new CancelledError('Cancelled: nothing was exported, and existing files were left as they were.');
  if (presetOut) {
    // The host asks (the command line's --overwrite, a dialog for a History re-run), never the window.
    if (!(await ui.confirmReplace(replaced(presetOut), 'Replace the exported file?'))) throw kept();
  } else {
    const mongodump = settings.format === 'mongodump';
    const chosen = await ui.chooseFile({
      mode: 'save',
      pick: mongodump ? 'folder' : 'file',
      title: mongodump ? `Export ${db}.${coll}: choose the folder for the mongodump output` : `Export ${db}.${coll} to`,
      defaultName: defaultExportName(coll, settings),
      filters: mongodump ? undefined : [{ name: FORMAT_LABELS[settings.format], extensions: [EXPORT_EXTENSIONS[settings.format]] }, { name: 'All files', extensions: ['*'] }],
      replaces: replaced,
    });
    if (!chosen) throw kept();
    settings = { ...settings, out: chosen, gzip: settings.gzip || (!mongodump && chosen.toLowerCase().endsWith('.gz')) };
  }
  const parent = settings.format === 'mongodump' ? settings.out : path.dirname(settings.out);
  if (settings.format !== 'mongodump' && !existsSync(parent)) throw new Error(`The folder ${parent} does not exist: choose where the export goes.`);
  host.remember(rememberExport(settings));
  host.begin();
  host.route({ to: path.basename(settings.out), format: FORMAT_LABELS[settings.format] });
  progress.phase('Export');
  const handle = startExportInWorker(
    { uri, db, coll, format: settings.format, ejson: settings.ejson, query: settings.query, fields: settings.fields, gzip: settings.gzip, out: settings.out, keepPartial: settings.keepPartial },
    { exported: ({ docs, totalDocs, bytes }) => progress.update({ docs, totalDocs, bytes }), warn: (m) => progress.warn(m) },
    cancellation.signal,
  );
  const unsubscribe = followPause(pause, handle);
  let outcome: ExportOutcome;
  try {
    outcome = await handle.done;
  } catch (error) {
    if (!(error instanceof WorkerJobError)) throw error;
    const failed = error.outcome as ExportOutcome;
    throw new Error(`${error.message} ${failed.partial ? `The partial file is kept as ${failed.partial}.` : 'The partial file was removed.'}`);
  } finally {
    unsubscribe();
  }
  if (outcome.view) return viewExportResult(outcome, `${db}.${coll}`, outcome.view.viewOn);
  const stats = [
    { label: 'Documents exported', value: formatCount(outcome.docs) },
    { label: 'Written', value: `${formatBytes(outcome.bytes)}${settings.gzip ? ' (before gzip)' : ''}` },
    { label: 'Format', value: `${settings.format}${settings.format === 'json' || settings.format === 'ndjson' ? ` (Extended JSON, ${settings.ejson})` : ''}` },
    ...(outcome.file ? [{ label: 'File', value: outcome.file }] : []),
    ...(outcome.fields ? [{ label: 'Columns', value: outcome.fields.join(', ') }] : []),
    ...(settings.query ? [{ label: 'Query', value: settings.query }] : []),
  ];
  if (outcome.cancelled) {
    return { outcome: 'cancelled', summary: `Cancelled after ${plural(outcome.docs, 'document')}. ${outcome.partial ? `The partial file is kept as ${outcome.partial}: it is incomplete.` : 'The partial file was removed.'}`, stats };
  }
  return { outcome: 'succeeded', heading: 'Export finished', summary: `Exported ${plural(outcome.docs, 'document')} of ${db}.${coll} to ${outcome.file}.`, stats };
}

function viewExportResult(outcome: ExportOutcome, name: string, viewOn: string): ActionResult {
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

const EXPORT_EXTENSIONS: Record<ExportSettings['format'], string> = { json: 'json', ndjson: 'jsonl', csv: 'csv', tsv: 'tsv', mongodump: 'bson' };

/** The name the Save dialog offers: `orders.csv`, `orders.jsonl.gz`; `dump` for a mongodump folder. */
function defaultExportName(coll: string, settings: ExportSettings): string {
  if (settings.format === 'mongodump') return 'dump';
  return `${coll}.${EXPORT_EXTENSIONS[settings.format]}${settings.gzip ? '.gz' : ''}`;
}

function exportForm(settings: ExportSettings) {
  return {
    title: 'Export to a file',
    description: 'Next, you choose where it goes. A mongodump export goes to <folder>/<database>/<collection>.bson.',
    submitLabel: 'Choose where…',
    fields: [
      { type: 'select' as const, id: 'format', label: 'Format', value: settings.format, options: EXPORT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] })) },
      { type: 'select' as const, id: 'ejson', label: 'Extended JSON', value: settings.ejson, options: [{ value: 'canonical', label: 'Canonical (every type exact)' }, { value: 'relaxed', label: 'Relaxed (plain numbers, easier to read)' }] },
      { type: 'text' as const, id: 'query', label: 'Only documents matching (Extended JSON filter)', value: settings.query ?? '', placeholder: '{"status": "active"}' },
      { type: 'text' as const, id: 'fields', label: 'Fields (CSV columns; empty: from a sample)', value: settings.fields.join(','), placeholder: 'name,address.city' },
      { type: 'checkbox' as const, id: 'gzip', label: 'Compress with gzip', value: settings.gzip },
      { type: 'checkbox' as const, id: 'keepPartial', label: 'Keep a partial file (.partial) if cancelled', value: settings.keepPartial },
    ],
    validate: (values: FormValues) => {
      try {
        checkQuery(String(values.query ?? '').trim() || undefined);
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    },
  };
}

function fromExportForm(values: FormValues, current: ExportSettings): ExportSettings {
  const format = (values.format as ExportSettings['format']) ?? current.format;
  return {
    out: current.out,
    format,
    ejson: (values.ejson as ExportSettings['ejson']) ?? current.ejson,
    query: String(values.query ?? '').trim() || undefined,
    fields: String(values.fields ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    gzip: Boolean(values.gzip),
    keepPartial: Boolean(values.keepPartial),
  };
}

function rememberExport(settings: ExportSettings): Record<string, string> {
  // No confirm=yes: a re-run shows the settings again, and the host asks again before replacing the file.
  const out: Record<string, string> = { out: settings.out, format: settings.format, ejson: settings.ejson };
  if (settings.query) out.query = settings.query;
  if (settings.fields.length) out.fields = settings.fields.join(',');
  if (settings.gzip) out.gzip = 'yes';
  if (settings.keepPartial) out.keepPartial = 'yes';
  return out;
}

export { InputError };
