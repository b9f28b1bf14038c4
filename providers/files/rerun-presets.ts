/**
 * The presets a finished plan leaves for History's *Run again* and *Resume* (`host.remember`): the same
 * keys the CLI takes (see index.ts). An import's re-run needs no questions (confirm=yes); an export's
 * shows its settings again, and the host asks again before replacing the file.
 */
import { formatTypeOverrides } from './csv-types';
import type { Detection } from './detect';
import type { ImportSource } from './import-engine';
import type { ExportSettings, ImportSettings } from './settings';

export function rememberImport(
  settings: ImportSettings,
  detection: Detection,
  sources: ImportSource[],
): Record<string, string> {
  const out: Record<string, string> = {
    file: settings.file,
    format: detection.format,
    conflict: settings.conflict,
    onError: settings.onError,
    confirm: 'yes',
  };
  if (detection.delimiter) out.delimiter = detection.delimiter === '\t' ? 'tab' : detection.delimiter;
  if (detection.format !== 'mongodump') out.coll = sources[0].coll;
  if (Object.keys(settings.types).length) out.types = formatTypeOverrides(settings.types);
  if (settings.ignoreEmpty) out.ignoreEmpty = 'yes';
  if (settings.maxLineBytes !== 8 * 1024 * 1024) out.maxLineMB = String(settings.maxLineBytes / 1048576);
  return out;
}

export function rememberExport(settings: ExportSettings): Record<string, string> {
  // No confirm=yes: a re-run shows the settings again, and the host asks again before replacing the file.
  const out: Record<string, string> = { out: settings.out, format: settings.format, ejson: settings.ejson };
  if (settings.query) out.query = settings.query;
  if (settings.fields.length) out.fields = settings.fields.join(',');
  if (settings.gzip) out.gzip = 'yes';
  if (settings.keepPartial) out.keepPartial = 'yes';
  return out;
}
