/**
 * The import flow of the files provider: choose the file (or take the preset), settings, preview (with
 * column types), then the import in the files worker with live progress, and its result. Questions go
 * through the UI port (forms.ts); the work begins (`host.begin()`) only once the plan is complete.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ActionHost, ActionResult, MigrationContext } from '../api/index';
import { CancelledError } from '../api/index';
import { plural } from '../shared/format';
import { detectFile, type Detection } from './detect';
import type { ImportView, ViewResult } from './dump-views';
import { FORMAT_LABELS } from './formats';
import { followPause } from './follow-pause';
import {
  IMPORT_FILTERS,
  columnTypesForm,
  defaultCollection,
  formatField,
  fromImportForm,
  importForm,
  previewReport,
  typesFromAnswers,
} from './forms';
import type { ImportOutcome, ImportSource, SourceResult } from './import-engine';
import { buildPreview, type Preview } from './preview';
import { rememberImport } from './rerun-presets';
import { VIEW_ITEM, importResult, sentences } from './result-summaries';
import { WorkerJobError, startImportJob } from './run-job';
import { inspectTargets, targetNotes } from './target-check';
import { importSettingsFrom, type ImportSettings } from './settings';

const IMPORT_PHASES = {
  choose: 'Choose file',
  preview: 'Preview',
  import: 'Import',
  indexes: 'Indexes',
  views: 'Views',
} as const;

export async function importAction(
  context: MigrationContext,
  uri: string,
  host: ActionHost,
  dataDir: string,
): Promise<ActionResult> {
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
    file = await ui.chooseFile({
      mode: 'open',
      pick: 'file-or-folder',
      title: `Import into ${db}: choose a file or a mongodump folder`,
      filters: IMPORT_FILTERS,
    });
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
            await detectFile(chosen, {
              format:
                values.format && values.format !== 'auto' ? (values.format as ImportSettings['format']) : undefined,
            });
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
  for (let askSettings = !headless; ;) {
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
    const target = await targetWarnings(uri, db, importSources(detection, settings, preview, context), settings);
    const choice = await ui.report(previewReport(preview, detection, settings, db, target));
    if (choice === 'start') break;
    if (choice === 'types' && preview.csv) {
      const answers = await ui.form(columnTypesForm(preview.csv));
      if (answers) settings = { ...settings, types: typesFromAnswers(answers, preview.csv) };
      continue;
    }
    if (choice === 'settings') {
      askSettings = true;
      continue;
    }
    throw stopped();
  }
  const sources = importSources(detection, settings, preview, context);
  const dumpViews = detection.format === 'mongodump' ? (detection.views ?? []) : [];
  const views: ImportView[] = dumpViews.map((v) => ({ coll: v.coll, metadataFile: v.metadataFile }));
  host.remember(rememberImport(settings, detection, sources));
  host.begin();
  host.route({
    from: path.basename(settings.file),
    to: `${context.connection?.name ?? 'MongoDB'} · ${db}${sources.length === 1 ? `.${sources[0].coll}` : ''}`,
    format: FORMAT_LABELS[detection.format],
  });
  if (cancellation.isCancellationRequested) throw stopped();

  if (views.length) progress.setPhases(Object.values(IMPORT_PHASES));
  progress.phase(IMPORT_PHASES.import);
  // What the dump holds but is left out: said in the preview, and here for imports that skip it.
  for (const note of detection.format === 'mongodump' ? (detection.dumpNotes ?? []) : []) progress.warn(note);
  const totalBytes =
    detection.format === 'mongodump' ? sources.reduce((sum, s) => sum + statSync(s.file).size, 0) : detection.size;
  progress.update({ docs: 0, bytes: 0, totalBytes });
  const rows = new Map<string, SourceResult>();
  const label = (s: { file: string; coll: string }) => `${path.basename(s.file)} → ${db}.${s.coll}`;
  sources.forEach((s) =>
    progress.item({
      id: s.file,
      label: label(s),
      status: 'pending',
      docs: 0,
      bytes: 0,
      totalBytes: statSync(s.file).size,
    }),
  );
  const onSource = (r: SourceResult) => {
    rows.set(r.file, r);
    progress.item({
      id: r.file,
      label: label(r),
      status: r.status,
      docs: r.docs + r.skipped,
      bytes: r.bytes,
      totalBytes: r.totalBytes,
      detail:
        [
          r.bad ? plural(r.bad, 'bad row') : '',
          r.resumed ? 'resumed' : '',
          r.indexes ? plural(r.indexes, 'index', 'indexes') : '',
        ]
          .filter(Boolean)
          .join(' · ') || undefined,
    });
    let docs = 0;
    let bytes = 0;
    for (const row of rows.values()) {
      docs += row.docs + row.skipped;
      bytes += row.bytes;
    }
    progress.update({ docs, bytes, totalBytes });
  };
  const viewLabel = (v: { metadataFile: string; coll: string; viewOn: string }) =>
    `${path.basename(v.metadataFile)} → ${db}.${v.coll} (view on ${v.viewOn})`;
  dumpViews.forEach((v) => progress.item({ id: v.metadataFile, label: viewLabel(v), status: 'pending' }));
  const onView = (v: ViewResult) => progress.item({ id: v.metadataFile, label: viewLabel(v), ...VIEW_ITEM[v.status] });
  const errorLog = path.join(
    dataDir,
    'files',
    'errors',
    `import-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.log`,
  );
  const handle = startImportJob(
    {
      uri,
      db,
      sources,
      views,
      conflict: settings.conflict,
      onError: settings.onError,
      ignoreEmpty: settings.ignoreEmpty,
      maxLineBytes: settings.maxLineBytes,
      batchDocs: settings.batchDocs,
      errorLog,
    },
    {
      phase: (name) => progress.phase(IMPORT_PHASES[name]),
      source: onSource,
      view: onView,
      warn: (m) => progress.warn(m),
    },
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
    const already =
      /documents before it are in/.test(error.message) || docs === 0 || viewFailed || failed.targetLost
        ? ''
        : `${plural(docs, 'document')} had been imported before it stopped; running the same import again resumes from the last checkpoint.`;
    const logged = failed.errorLog ? `Bad rows are listed in ${failed.errorLog}.` : '';
    throw new Error(sentences(error.message, already, logged));
  } finally {
    unsubscribe();
  }
  return importResult(outcome, db, detection);
}

/** What the worker imports: the dump's collections, or the file into its collection. */
function importSources(
  detection: Detection,
  settings: ImportSettings,
  preview: Preview,
  context: MigrationContext,
): ImportSource[] {
  if (detection.collections && detection.format === 'mongodump')
    return detection.collections.map((c) => ({
      file: c.file,
      format: 'bson',
      gzip: c.gzip,
      coll: c.coll,
      metadataFile: c.metadataFile,
    }));
  // The column types are fixed by the preview (inferred + overrides), so the worker converts exactly what it showed.
  const csvTypes = preview.csv ? Object.fromEntries(preview.csv.map((c) => [c.name, c.type])) : undefined;
  const format = detection.format === 'mongodump' ? 'bson' : detection.format;
  return [
    {
      file: settings.file,
      format,
      gzip: detection.gzip,
      coll: settings.coll ?? defaultCollection(context, settings.file),
      jsonArray: detection.jsonArray,
      delimiter: detection.delimiter,
      types: csvTypes,
      metadataFile: detection.collections?.[0]?.metadataFile,
    },
  ];
}

/** The preview's warnings about target collections that already hold documents; a target that cannot be asked is said, not fatal. */
async function targetWarnings(
  uri: string,
  db: string,
  sources: ImportSource[],
  settings: ImportSettings,
): Promise<Preview['notes']> {
  try {
    return targetNotes(
      await inspectTargets({ uri, db, sources, ignoreEmpty: settings.ignoreEmpty }),
      db,
      settings.conflict,
    );
  } catch (error) {
    return [
      {
        level: 'info',
        text: `Could not check whether the target already holds documents (${(error as Error).message}).`,
      },
    ];
  }
}
