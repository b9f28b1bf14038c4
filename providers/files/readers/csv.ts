/**
 * CSV and TSV (quotes, quoted newlines, CRLF, BOM), one document per row, parsed by csv-parser.ts (the
 * rows csv-parse gives, several times faster). The first row is the header. Errors name the line.
 */
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../formats';
import { planColumns, rowToDocument, type Column } from '../csv-columns';
import type { CsvType } from '../csv-types';
import { CsvParser, CsvSyntaxError, type CsvRow } from '../csv-parser';
import type { SourceRecord } from './record';

export interface CsvOptions {
  file: string;
  delimiter: string;
  types: Record<string, CsvType>;
  ignoreEmpty: boolean;
  maxRecordBytes: number;
}

/**
 * Bytes parsed at a time. A 1 MB piece would be one string in V8's large-object space and a thousand
 * rows alive at once, all outliving young collections and staying until the next full one: the CSV
 * import's peak memory (issue 14).
 */
const TEXT_SLICE = 64 * 1024;

async function* inSlices(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks)
    for (let from = 0; from < chunk.length; from += TEXT_SLICE) yield chunk.subarray(from, from + TEXT_SLICE);
}

export async function* csvRecords(chunks: AsyncIterable<Buffer>, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const parser = new CsvParser(options.delimiter, options.maxRecordBytes);
  const decoder = new StringDecoder('utf8');
  // The line the last complete row ended on: an unclosed quote is named on the line after it.
  let parsedThrough = 0;
  let columns: Column[] | undefined;
  let index = 0;
  const rows: CsvRow[] = [];
  const iterator = inSlices(chunks)[Symbol.asyncIterator]();
  let ended = false;
  try {
    while (!ended) {
      const step = await iterator.next();
      // A syntax error is thrown after the rows before it are handed on.
      let failure: CsvSyntaxError | undefined;
      try {
        if (step.done) {
          ended = true;
          const rest = decoder.end();
          if (rest) parser.push(rest, rows);
          parser.end(rows);
        } else {
          parser.push(decoder.write(step.value), rows);
        }
      } catch (error) {
        if (!(error instanceof CsvSyntaxError)) throw error;
        failure = error;
      }
      for (let r = 0; r < rows.length; r++) {
        const { fields, line, endLine, size } = rows[r];
        parsedThrough = endLine;
        if (!columns) {
          columns = planColumns(fields, options.types, `${options.file}, line ${line}`);
          continue;
        }
        const where = `line ${line}`;
        const at = index++;
        // More cells than columns is a bad row (a delimiter or quote out of place); fewer leave the last fields out.
        if (fields.length > columns.length) {
          yield {
            index: at,
            where,
            error: `${fields.length} cells, but the header has ${columns.length} columns`,
            size,
          };
          continue;
        }
        try {
          yield { index: at, where, doc: rowToDocument(fields, columns, options.ignoreEmpty), size };
        } catch (error) {
          yield { index: at, where, error: (error as Error).message, size };
        }
      }
      rows.length = 0;
      if (failure) throw failure;
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    const line = parsedThrough + 1;
    const what =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `a quoted field opened on line ${line} is never closed (the file is truncated, or a quote is missing)`
        : error.code === 'CSV_MAX_RECORD_SIZE'
          ? `a row is longer than ${Math.round(options.maxRecordBytes / 1048576)} MB: the delimiter or quoting is probably wrong`
          : error.message;
    throw new InputError(
      `${options.file}, line ${error.code === 'CSV_QUOTE_NOT_CLOSED' ? line : error.lines}: ${what}. ${index} ${index === 1 ? 'row' : 'rows'} before it ${index === 1 ? 'was' : 'were'} read.`,
    );
  } finally {
    if (!ended) await iterator.return(undefined);
  }
  if (!columns) throw new InputError(`${options.file}: the file is empty (no header row).`);
}
