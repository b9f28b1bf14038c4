/**
 * The questions of the files provider's flows, as UI-port forms and reports: import settings, the format
 * of a file that was not recognised, column types, the preview report, and the export settings; and
 * reading the answers back into settings. No I/O.
 */
import type { FormField, FormValues, MigrationContext } from '../api/index';
import { formatBytes } from '../shared/format';
import { CSV_TYPES, CSV_TYPE_LABELS, type CsvType } from './csv-types';
import type { Detection } from './detect';
import { EXPORT_FORMATS, FORMAT_LABELS, IMPORT_FORMATS } from './formats';
import type { CsvColumnInfo, Preview } from './preview';
import {
  CONFLICTS,
  CONFLICT_LABELS,
  checkQuery,
  collectionFromFile,
  parseDelimiter,
  type ExportSettings,
  type ImportSettings,
} from './settings';

export function defaultCollection(context: MigrationContext, file: string): string {
  return context.collectionName ?? collectionFromFile(file);
}

export const IMPORT_FILTERS = [
  { name: 'Data files', extensions: ['json', 'jsonl', 'ndjson', 'csv', 'tsv', 'tab', 'txt', 'bson', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export function formatField(value: string | undefined): FormField {
  return {
    type: 'select',
    id: 'format',
    label: 'Format',
    value: value ?? 'auto',
    options: [
      { value: 'auto', label: 'Detect from the file' },
      ...IMPORT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] })),
    ],
  };
}

export function importForm(settings: ImportSettings, detection: Detection, context: MigrationContext) {
  const fields: FormField[] = [];
  if (detection.format !== 'mongodump')
    fields.push({
      type: 'text',
      id: 'coll',
      label: 'Target collection',
      value: settings.coll ?? defaultCollection(context, settings.file),
      required: true,
    });
  fields.push(
    formatField(settings.format),
    ...(detection.format === 'csv' || detection.format === 'tsv'
      ? [
          {
            type: 'select' as const,
            id: 'delimiter',
            label: 'Delimiter',
            value: detection.delimiter === '\t' ? 'tab' : detection.delimiter,
            options: [
              { value: ',', label: 'Comma (,)' },
              { value: ';', label: 'Semicolon (;)' },
              { value: 'tab', label: 'Tab' },
              { value: '|', label: 'Pipe (|)' },
            ],
          },
          {
            type: 'checkbox' as const,
            id: 'ignoreEmpty',
            label: 'Leave out empty cells',
            value: settings.ignoreEmpty,
            help: 'Otherwise an empty cell becomes "" (text columns) or null.',
          },
        ]
      : []),
    {
      type: 'select',
      id: 'conflict',
      label: 'If the collection already has data',
      value: settings.conflict,
      options: CONFLICTS.map((c) => ({ value: c, label: CONFLICT_LABELS[c] })),
    },
    {
      type: 'select',
      id: 'onError',
      label: 'Bad rows',
      value: settings.onError,
      options: [
        { value: 'stop', label: 'Stop at the first bad row' },
        { value: 'continue', label: 'Continue, and list each bad row in an error log' },
      ],
    },
  );
  return {
    title: 'Import settings',
    description: `${settings.file}: detected ${FORMAT_LABELS[detection.format]}${detection.gzip ? ' (gzip)' : ''}.`,
    submitLabel: 'Preview',
    fields,
  };
}

export function fromImportForm(values: FormValues, current: ImportSettings): ImportSettings {
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

/** *Change column types*: one select per CSV column, showing what was inferred when it was changed. */
export function columnTypesForm(columns: CsvColumnInfo[]) {
  return {
    title: 'Column types',
    description: 'Each column is converted to this type; a cell that does not fit is a bad row.',
    submitLabel: 'Preview again',
    fields: columns.map((c, i) => ({
      type: 'select' as const,
      id: `t${i}`,
      label: `${c.name}${c.inferred !== c.type ? ` (inferred: ${c.inferred})` : ''}`,
      value: c.type,
      options: CSV_TYPES.map((t) => ({ value: t, label: CSV_TYPE_LABELS[t] })),
    })),
  };
}

/** The overrides the column types form gives: only the columns whose type differs from the inferred one. */
export function typesFromAnswers(answers: FormValues, columns: CsvColumnInfo[]): Record<string, CsvType> {
  const types: Record<string, CsvType> = {};
  columns.forEach((c, i) => {
    const chosen = answers[`t${i}`] as CsvType | undefined;
    if (chosen && chosen !== c.inferred) types[c.name] = chosen;
  });
  return types;
}

export function previewReport(
  preview: Preview,
  detection: Detection,
  settings: ImportSettings,
  db: string,
  targetNotes: Preview['notes'] = [],
) {
  const into =
    detection.format === 'mongodump'
      ? `the database ${db}`
      : `${db}.${settings.coll ?? collectionFromFile(settings.file)}`;
  const unconvertible = preview.csv?.some((c) => c.unconvertible);
  const badRows =
    settings.onError === 'stop'
      ? 'With "stop at the first bad row", the import stops at the first of them: change the column types (or settings) before Start.'
      : 'Each of them will be a bad row, skipped and listed in the error log.';
  return {
    title: 'Preview',
    message: `${settings.file} (${detection.format === 'mongodump' ? 'folder' : formatBytes(detection.size)}): ${preview.formatLabel}. Into ${into}; ${CONFLICT_LABELS[settings.conflict].toLowerCase()}; ${settings.onError === 'stop' ? 'stop at the first bad row' : 'bad rows are logged and skipped'}.`,
    columns: preview.columns,
    rows: preview.rows,
    // Warnings first: what Start will do to data already there, and cells that will not convert.
    notes: [
      ...targetNotes,
      ...preview.notes.filter((n) => n.level !== 'info'),
      ...(unconvertible ? [{ level: 'warning' as const, text: badRows }] : []),
      ...preview.notes.filter((n) => n.level === 'info'),
    ],
    actions: [
      { id: 'start', label: 'Start import', primary: true },
      ...(preview.csv ? [{ id: 'types', label: 'Change column types' }] : []),
      { id: 'settings', label: 'Change settings' },
    ],
  };
}

export const EXPORT_EXTENSIONS: Record<ExportSettings['format'], string> = {
  json: 'json',
  ndjson: 'jsonl',
  csv: 'csv',
  tsv: 'tsv',
  mongodump: 'bson',
};

/** The name the Save dialog offers: `orders.csv`, `orders.jsonl.gz`; `dump` for a mongodump folder. */
export function defaultExportName(coll: string, settings: ExportSettings): string {
  if (settings.format === 'mongodump') return 'dump';
  return `${coll}.${EXPORT_EXTENSIONS[settings.format]}${settings.gzip ? '.gz' : ''}`;
}

export function exportForm(settings: ExportSettings) {
  return {
    title: 'Export to a file',
    description: 'Next, you choose where it goes. A mongodump export goes to <folder>/<database>/<collection>.bson.',
    submitLabel: 'Choose where…',
    fields: [
      {
        type: 'select' as const,
        id: 'format',
        label: 'Format',
        value: settings.format,
        options: EXPORT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] })),
      },
      {
        type: 'select' as const,
        id: 'ejson',
        label: 'Extended JSON',
        value: settings.ejson,
        options: [
          { value: 'canonical', label: 'Canonical (every type exact)' },
          { value: 'relaxed', label: 'Relaxed (plain numbers, easier to read)' },
        ],
      },
      {
        type: 'text' as const,
        id: 'query',
        label: 'Only documents matching (Extended JSON filter)',
        value: settings.query ?? '',
        placeholder: '{"status": "active"}',
      },
      {
        type: 'text' as const,
        id: 'fields',
        label: 'Fields (CSV columns; empty: from a sample)',
        value: settings.fields.join(','),
        placeholder: 'name,address.city',
      },
      { type: 'checkbox' as const, id: 'gzip', label: 'Compress with gzip', value: settings.gzip },
      {
        type: 'checkbox' as const,
        id: 'keepPartial',
        label: 'Keep a partial file (.partial) if cancelled',
        value: settings.keepPartial,
      },
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

export function fromExportForm(values: FormValues, current: ExportSettings): ExportSettings {
  const format = (values.format as ExportSettings['format']) ?? current.format;
  return {
    out: current.out,
    format,
    ejson: (values.ejson as ExportSettings['ejson']) ?? current.ejson,
    query: String(values.query ?? '').trim() || undefined,
    fields: String(values.fields ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    gzip: Boolean(values.gzip),
    keepPartial: Boolean(values.keepPartial),
  };
}
