/**
 * The built-in files provider: import JSON, JSON Lines, Extended JSON, CSV/TSV, BSON and mongodump
 * folders into a collection, and export a collection (or a query) to the same formats. This module is
 * the provider object; the person's flows are import-flow.ts and export-flow.ts (their forms in
 * forms.ts, their results in result-summaries.ts, what a re-run remembers in rerun-presets.ts);
 * parsing and writing run in the files worker (files-worker.ts).
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
import type { MigrationProvider, PickItem } from '../api/index';
import { problemOf } from '../api/index';
import { defaultDataDir } from '../api/data-dir';
import { exportAction } from './export-flow';
import { InputError } from './formats';
import { importAction } from './import-flow';
import { exportSettingsFrom, importSettingsFrom } from './settings';

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
    description:
      'Import JSON, JSON Lines, Extended JSON, CSV/TSV or mongodump folders into a collection, or export a collection or a query to them: streaming, type-exact, resumable.',
    icon: '🗎',
    appliesTo: ['mongodb'],
    signalsBegin: true,
    unavailableReason: (context) =>
      context.databaseName ? undefined : 'Select a database (to import into) or a collection (to export) first.',
    async getAvailableActions(context): Promise<PickItem[]> {
      return [
        {
          id: IMPORT_ACTION,
          label: 'Import a file',
          description: context.databaseName
            ? `Import JSON, JSON Lines, CSV/TSV or a mongodump folder into ${context.databaseName}`
            : 'Import into a database',
          disabledReason: context.databaseName ? undefined : 'Select a database first.',
        },
        {
          id: EXPORT_ACTION,
          label: 'Export to a file',
          description: context.collectionName
            ? `Export ${context.databaseName}.${context.collectionName} (or a query) to JSON, CSV or a mongodump folder`
            : 'Export a collection',
          disabledReason: context.collectionName ? undefined : 'Select a collection first.',
        },
      ];
    },
    checkPresets: (actionId, presets) =>
      problemOf(() =>
        actionId === 'export' ? exportSettingsFrom(presets, presets.out ?? '') : importSettingsFrom(presets),
      ),
    async executeAction(context, actionId, host) {
      const connection = context.connection;
      if (!connection || connection.kind !== 'mongodb') throw new Error('Connect to a MongoDB-family server first.');
      const dataDir = options.dataDir ?? defaultDataDir();
      if (actionId === IMPORT_ACTION || actionId === undefined)
        return importAction(context, connection.uri, host, dataDir);
      if (actionId === EXPORT_ACTION) return exportAction(context, connection.uri, host);
      throw new Error(`Unknown action ${actionId}.`);
    },
  };
}

export { InputError };
