/**
 * CSV and TSV through csv-parse (quotes, quoted newlines, CRLF, BOM), one document per row. The first
 * row is the header. Line numbers are counted from the raw record text so errors name the line.
 */
import { Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import { InputError } from '../formats';
import { planColumns, rowToDocument, type Column } from '../csv-columns';
import type { CsvType } from '../csv-types';
import type { SourceRecord } from './record';

export interface CsvOptions {
  file: string;
  delimiter: string;
  types: Record<string, CsvType>;
  ignoreEmpty: boolean;
  maxRecordBytes: number;
}

export async function* csvRecords(chunks: AsyncIterable<Buffer>, options: CsvOptions): AsyncGenerator<SourceRecord> {
  // The line each record ends on, as the parser counts it when it parses the record (before it is read
  // from the stream): an unclosed quote is then named on the line after the last complete record.
  let parsedThrough = 0;
  const parser = Readable.from(chunks).pipe(
    parse({
      delimiter: options.delimiter, bom: true, relax_column_count: true, raw: true, skip_empty_lines: true, max_record_size: options.maxRecordBytes,
      on_record: ((parsed: { record: string[]; raw: string }, context: { lines: number }) => {
        parsedThrough = context.lines;
        return { ...parsed, lines: context.lines };
      }) as unknown as Options['on_record'],
    }),
  );
  let columns: Column[] | undefined;
  let index = 0;
  try {
    for await (const { record, raw, lines } of parser as AsyncIterable<{ record: string[]; raw: string; lines: number }>) {
      // The record starts as many lines before its end as it has line breaks (skipped blank lines before it aside).
      const here = lines - countChar(raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, ''), '\n');
      if (!columns) {
        columns = planColumns(record, options.types, `${options.file}, line ${here}`);
        continue;
      }
      const where = `line ${here}`;
      const at = index++;
      // More cells than columns is a bad row (a delimiter or quote out of place); fewer leave the last fields out.
      if (record.length > columns.length) {
        yield { index: at, where, error: `${record.length} cells, but the header has ${columns.length} columns`, size: raw.length };
        continue;
      }
      try {
        yield { index: at, where, doc: rowToDocument(record, columns, options.ignoreEmpty), size: raw.length };
      } catch (error) {
        yield { index: at, where, error: (error as Error).message, size: raw.length };
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const e = error as { code?: string; lines?: number; message: string };
    if (!e.code?.startsWith('CSV_')) throw error;
    const line = parsedThrough + 1;
    const what =
      e.code === 'CSV_QUOTE_NOT_CLOSED' ? `a quoted field opened on line ${line} is never closed (the file is truncated, or a quote is missing)`
      : e.code === 'CSV_MAX_RECORD_SIZE' ? `a row is longer than ${Math.round(options.maxRecordBytes / 1048576)} MB: the delimiter or quoting is probably wrong`
      : e.message;
    throw new InputError(`${options.file}, line ${e.code === 'CSV_QUOTE_NOT_CLOSED' ? line : e.lines ?? line}: ${what}. ${index} ${index === 1 ? 'row' : 'rows'} before it ${index === 1 ? 'was' : 'were'} read.`);
  }
  if (!columns) throw new InputError(`${options.file}: the file is empty (no header row).`);
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}
