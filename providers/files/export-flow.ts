/**
 * The export flow of the files provider: settings, where it goes (the host's Save dialog, or the `out`
 * preset with the host's own question before replacing), then the export in the files worker with live
 * progress, and its result.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ActionHost, ActionResult, MigrationContext } from '../api/index';
import { CancelledError } from '../api/index';
import { formatBytes, formatCount, plural } from '../shared/format';
import { exportMetadataFile, exportTarget, type ExportOutcome } from './export-engine';
import { FORMAT_LABELS } from './formats';
import { followPause } from './follow-pause';
import { EXPORT_EXTENSIONS, defaultExportName, exportForm, fromExportForm } from './forms';
import { rememberExport } from './rerun-presets';
import { viewExportResult } from './result-summaries';
import { WorkerJobError, startExportJob } from './run-job';
import { exportSettingsFrom } from './settings';

export async function exportAction(context: MigrationContext, uri: string, host: ActionHost): Promise<ActionResult> {
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
      filters: mongodump
        ? undefined
        : [
            { name: FORMAT_LABELS[settings.format], extensions: [EXPORT_EXTENSIONS[settings.format]] },
            { name: 'All files', extensions: ['*'] },
          ],
      replaces: replaced,
    });
    if (!chosen) throw kept();
    settings = {
      ...settings,
      out: chosen,
      gzip: settings.gzip || (!mongodump && chosen.toLowerCase().endsWith('.gz')),
    };
  }
  const parent = settings.format === 'mongodump' ? settings.out : path.dirname(settings.out);
  if (settings.format !== 'mongodump' && !existsSync(parent))
    throw new Error(`The folder ${parent} does not exist: choose where the export goes.`);
  host.remember(rememberExport(settings));
  host.begin();
  host.route({ to: path.basename(settings.out), format: FORMAT_LABELS[settings.format] });
  progress.phase('Export');
  const handle = startExportJob(
    {
      uri,
      db,
      coll,
      format: settings.format,
      ejson: settings.ejson,
      query: settings.query,
      fields: settings.fields,
      gzip: settings.gzip,
      out: settings.out,
      keepPartial: settings.keepPartial,
    },
    {
      exported: ({ docs, totalDocs, bytes }) => progress.update({ docs, totalDocs, bytes }),
      warn: (m) => progress.warn(m),
    },
    cancellation.signal,
  );
  const unsubscribe = followPause(pause, handle);
  let outcome: ExportOutcome;
  try {
    outcome = await handle.done;
  } catch (error) {
    if (!(error instanceof WorkerJobError)) throw error;
    const failed = error.outcome as ExportOutcome;
    throw new Error(
      `${error.message} ${failed.partial ? `The partial file is kept as ${failed.partial}.` : 'The partial file was removed.'}`,
    );
  } finally {
    unsubscribe();
  }
  if (outcome.view) return viewExportResult(outcome, `${db}.${coll}`, outcome.view.viewOn);
  const stats = [
    { label: 'Documents exported', value: formatCount(outcome.docs) },
    { label: 'Written', value: `${formatBytes(outcome.bytes)}${settings.gzip ? ' (before gzip)' : ''}` },
    {
      label: 'Format',
      value: `${settings.format}${settings.format === 'json' || settings.format === 'ndjson' ? ` (Extended JSON, ${settings.ejson})` : ''}`,
    },
    ...(outcome.file ? [{ label: 'File', value: outcome.file }] : []),
    ...(outcome.fields ? [{ label: 'Columns', value: outcome.fields.join(', ') }] : []),
    ...(settings.query ? [{ label: 'Query', value: settings.query }] : []),
  ];
  if (outcome.cancelled) {
    return {
      outcome: 'cancelled',
      summary: `Cancelled after ${plural(outcome.docs, 'document')}. ${outcome.partial ? `The partial file is kept as ${outcome.partial}: it is incomplete.` : 'The partial file was removed.'}`,
      stats,
    };
  }
  return {
    outcome: 'succeeded',
    heading: 'Export finished',
    summary: `Exported ${plural(outcome.docs, 'document')} of ${db}.${coll} to ${outcome.file}.`,
    stats,
  };
}
