/**
 * The preview shown before an import: what the file was detected as, its first records, and for CSV
 * the type inferred per column (from up to 1,000 rows of the first megabyte), with overrides applied,
 * and per column the sampled cells that will not convert to its type (how many, and the first: its line,
 * its value and why), each a bad row when the import runs.
 */
import { parse } from 'csv-parse/sync';
import { BSON } from 'mongodb';
import { cellType, convertCell, mergeTypes, type CsvType } from './csv-types';
import type { Detection } from './detect';
import { FORMAT_LABELS, InputError } from './formats';
import { bsonRecords } from './readers/bson';
import { csvRecords } from './readers/csv';
import { jsonRecords } from './readers/json';
import { ndjsonRecords } from './readers/ndjson';
import type { SourceRecord } from './readers/record';

const PREVIEW_ROWS = 10;
const INFER_ROWS = 1000;
const MAX_COLUMNS_SHOWN = 12;

export interface CsvColumnInfo {
  name: string;
  inferred: CsvType;
  type: CsvType;
  /** Sampled cells that will not convert to `type` (only a changed type can have them): how many, and the first. */
  unconvertible?: { count: number; line: number; value: string; reason: string };
}

export interface Preview {
  formatLabel: string;
  columns: Array<{ id: string; label: string; align?: 'left' | 'right' }>;
  rows: Array<Record<string, string>>;
  csv?: CsvColumnInfo[];
  notes: Array<{ level: 'info' | 'warning' | 'error'; text: string }>;
}

export async function buildPreview(
  detection: Detection,
  overrides: Record<string, CsvType>,
  maxLineBytes: number,
): Promise<Preview> {
  const label = `${FORMAT_LABELS[detection.format]}${detection.gzip ? ', gzip-compressed' : ''}`;
  switch (detection.format) {
    case 'mongodump':
      return dumpPreview(detection, label);
    case 'csv':
    case 'tsv':
      return csvPreview(detection, overrides, label);
    default:
      return documentPreview(detection, label, maxLineBytes);
  }
}

function dumpPreview(detection: Detection, label: string): Preview {
  const collections = detection.collections ?? [];
  const views = detection.views ?? [];
  const rows = [
    ...collections.map((c) => ({
      coll: c.coll,
      file: c.file,
      metadata: c.metadataFile ? 'options and indexes restored' : 'no .metadata.json',
    })),
    ...views.map((v) => ({ coll: v.coll, file: v.metadataFile, metadata: `view on ${v.viewOn}` })),
  ];
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const what = views.length
    ? `${count(collections.length, 'collection')} and ${count(views.length, 'view')}`
    : count(collections.length, 'collection');
  const notes: Preview['notes'] = [{ level: 'info', text: `${what} will be restored into the selected database.` }];
  if (views.length)
    notes.push({
      level: 'info',
      text: 'Views are created after the collections, each after the views it reads. A name already taken on the target follows the choice for existing data: drop replaces it, stop refuses before anything is imported, the others leave it as it is.',
    });
  for (const text of detection.dumpNotes ?? []) notes.push({ level: 'warning', text });
  return {
    formatLabel: label,
    columns: [
      { id: 'coll', label: 'Collection or view' },
      { id: 'file', label: 'File' },
      { id: 'metadata', label: 'Metadata' },
    ],
    rows,
    notes,
  };
}

async function csvErrorOf(detection: Detection): Promise<Error | undefined> {
  const chunks = (async function* () {
    yield detection.sample;
  })();
  try {
    for await (const _record of csvRecords(chunks, {
      file: detection.file,
      delimiter: detection.delimiter ?? ',',
      types: {},
      ignoreEmpty: false,
      maxRecordBytes: detection.sample.length + 1,
    })) {
      /* read to the error */
    }
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

async function csvPreview(detection: Detection, overrides: Record<string, CsvType>, label: string): Promise<Preview> {
  let parsed: LinedRecord[];
  try {
    parsed = parseLined(detection.sample, detection.delimiter, INFER_ROWS + 1);
  } catch (error) {
    // The streaming reader names the line where it breaks (where an unclosed quote opened, not where the file ends).
    if (!detection.sampleCut)
      throw (
        (await csvErrorOf(detection)) ??
        new InputError(
          `${detection.file}, line ${(error as { lines?: number }).lines ?? '?'}: ${(error as Error).message}`,
        )
      );
    const cut = detection.sample.subarray(
      0,
      Math.max(0, detection.sample.lastIndexOf(10, detection.sample.length - 2) + 1),
    );
    parsed = parseLined(cut, detection.delimiter, 200);
  }
  if (parsed.length === 0) throw new InputError(`${detection.file}: the file has no header row.`);
  const [{ record: header }, ...lined] = parsed;
  const data = lined.map((r) => r.record);
  const names = header.map((h, i) => h.trim() || `field${i + 1}`);
  const csv = names.map<CsvColumnInfo>((name, i) => {
    let type: CsvType | undefined;
    for (const row of data) type = mergeTypes(type, cellType(row[i] ?? ''));
    const inferred = type ?? 'string';
    const column: CsvColumnInfo = { name, inferred, type: overrides[name] ?? inferred };
    const unconvertible = unconvertibleCells(lined, i, column.type);
    return unconvertible ? { ...column, unconvertible } : column;
  });
  const unknown = Object.keys(overrides).filter((name) => !names.includes(name));
  const shown = names.slice(0, MAX_COLUMNS_SHOWN);
  const notes: Preview['notes'] = [
    {
      level: 'info',
      text: `Delimiter: ${detection.delimiter === '\t' ? 'tab' : JSON.stringify(detection.delimiter)}; ${names.length} columns; types inferred from ${data.length.toLocaleString('en-US')} rows: ${csv.map((c) => `${c.name}: ${c.type}${c.type !== c.inferred ? ' (changed)' : ''}`).join(', ')}.`,
    },
  ];
  if (names.some((n) => n.includes('.')))
    notes.push({ level: 'info', text: 'Dotted column names (a.b) become nested documents.' });
  if (names.length > MAX_COLUMNS_SHOWN)
    notes.push({ level: 'info', text: `The first ${MAX_COLUMNS_SHOWN} of ${names.length} columns are shown.` });
  if (unknown.length)
    notes.push({
      level: 'warning',
      text: `Type overrides for columns that are not in the header: ${unknown.join(', ')}.`,
    });
  for (const c of csv) {
    const u = c.unconvertible;
    if (!u) continue;
    const cells = `${u.count.toLocaleString('en-US')} of the ${data.length.toLocaleString('en-US')} sampled ${data.length === 1 ? 'cell' : 'cells'}`;
    notes.push({
      level: 'warning',
      text: `Column "${c.name}" (${c.type}): ${cells} will not convert, e.g. line ${u.line}: ${u.reason}.`,
    });
  }
  return {
    formatLabel: label,
    columns: [
      { id: '#', label: 'Line', align: 'right' },
      ...shown.map((name, i) => ({ id: `c${i}`, label: `${name} (${csv[i].type})` })),
    ],
    rows: lined.slice(0, PREVIEW_ROWS).map(({ record, line }) => ({
      '#': String(line),
      ...Object.fromEntries(shown.map((_, i) => [`c${i}`, record[i] ?? ''])),
    })),
    csv,
    notes,
  };
}

interface LinedRecord {
  record: string[];
  /** The line the record starts on, as the import names it in a bad row. */
  line: number;
}

/**
 * Parses up to `to` records, each with the line it starts on. Counted here from each record's text and the
 * blank lines skipped before it: csv-parse's own line count runs one ahead after each quoted CRLF of a CRLF file.
 */
function parseLined(sample: Buffer, delimiter: string | undefined, to: number): LinedRecord[] {
  let next = 1; // the line after the previous record, before blank lines
  return parse(sample, {
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    to,
    raw: true,
    on_record: ((parsed: { record: string[]; raw: string }, context: { empty_lines: number }) => {
      const body = parsed.raw.replace(/^[\r\n]+/, '').replace(/\r?\n?$/, '');
      const breaks = body.split('\n').length - 1;
      const line = next + context.empty_lines;
      next += breaks + 1;
      return { record: parsed.record, line };
    }) as never,
  }) as unknown as LinedRecord[];
}

/** The sampled cells of column `i` that will not convert to `type`: how many, and the first. Empty cells always fit. */
function unconvertibleCells(rows: LinedRecord[], i: number, type: CsvType): CsvColumnInfo['unconvertible'] {
  if (type === 'string' || type === 'null') return undefined;
  let found: CsvColumnInfo['unconvertible'];
  for (const { record, line } of rows) {
    const text = record[i] ?? '';
    if (text === '') continue;
    try {
      convertCell(text, type);
    } catch (error) {
      if (found) found.count++;
      else found = { count: 1, line, value: text, reason: (error as Error).message };
    }
  }
  return found;
}

async function documentPreview(detection: Detection, label: string, maxLineBytes: number): Promise<Preview> {
  const chunks = (async function* () {
    yield detection.sample;
  })();
  const reader: AsyncIterable<SourceRecord> =
    detection.format === 'bson'
      ? bsonRecords(chunks, { file: detection.file })
      : detection.format === 'ndjson'
        ? ndjsonRecords(chunks, { file: detection.file, maxLineBytes })
        : jsonRecords(chunks, { file: detection.file, gzip: detection.gzip, array: detection.jsonArray ?? true });
  const rows: Array<Record<string, string>> = [];
  const notes: Preview['notes'] = [];
  try {
    for await (const record of reader) {
      const text = record.doc ? BSON.EJSON.stringify(exactLongs(record.doc), { relaxed: true }) : `✗ ${record.error}`;
      rows.push({ where: record.where, doc: text.length > 300 ? `${text.slice(0, 300)}…` : text });
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } catch (error) {
    if (!detection.sampleCut) throw error;
  }
  if (detection.format === 'json' || detection.format === 'ndjson') {
    const flavour =
      detection.flavour === 'canonical'
        ? 'Extended JSON, canonical (every type exact)'
        : detection.flavour === 'relaxed'
          ? 'Extended JSON, relaxed'
          : 'plain JSON (numbers: Int32, Int64 or Double; no dates or ObjectIds unless written as $date/$oid)';
    notes.push({
      level: 'info',
      text: `Content: ${flavour}${detection.format === 'json' ? (detection.jsonArray ? '; one top-level array' : '; documents one after another') : ''}.`,
    });
  }
  if (detection.format === 'bson' && detection.collections?.[0]?.metadataFile)
    notes.push({
      level: 'info',
      text: `Options and indexes will be restored from ${detection.collections[0].metadataFile}.`,
    });
  if (rows.some((r) => r.doc.startsWith('✗')))
    notes.push({ level: 'warning', text: 'Some of the first records are not valid: see the rows marked ✗.' });
  return {
    formatLabel: label,
    columns: [
      { id: 'where', label: 'Where' },
      { id: 'doc', label: 'Document' },
    ],
    rows,
    notes,
  };
}

/** Relaxed Extended JSON writes an Int64 as a JavaScript number: beyond 2^53 it would show another value. */
function exactLongs(value: unknown): unknown {
  if (value instanceof BSON.Long)
    return Number.isSafeInteger(value.toNumber()) ? value : { $numberLong: value.toString() };
  if (Array.isArray(value)) return value.map(exactLongs);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactLongs(v)]));
  }
  return value;
}
