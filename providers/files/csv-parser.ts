/**
 * A streaming CSV/TSV parser for imports: the rows csv-parse gives with the options the import used
 * (`bom`, `relax_column_count`, `skip_empty_lines`, `max_record_size`, quote and escape `"`, the record
 * delimiter found at the first line break: `\r\n`, `\n` or `\r`), about four times faster (issue 14:
 * csv-parse took most of a CSV import's time, byte by byte). Unquoted fields are scanned a character at
 * a time without copying; quoted ones are cut at their quotes with indexOf.
 *
 * Errors carry csv-parse's codes (CSV_QUOTE_NOT_CLOSED, CSV_INVALID_CLOSING_QUOTE, INVALID_OPENING_QUOTE,
 * CSV_MAX_RECORD_SIZE) and the line they are on. Line numbers count `\n`, `\r\n` and a lone `\r` once
 * each, inside quoted fields too. csv-parser.test.ts compares the rows with csv-parse's.
 */

export interface CsvRow {
  fields: string[];
  /** The line the row starts on (1-based; blank lines skipped before it are not part of it). */
  line: number;
  /** The line it ends on (a quoted field may hold line breaks). */
  endLine: number;
  /** Characters of the row's text, without its line break. */
  size: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly code:
      'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'INVALID_OPENING_QUOTE' | 'CSV_MAX_RECORD_SIZE',
    message: string,
    readonly lines: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
/** `parseRecord` needs more text to decide (the record, or a line break, may go on in the next chunk). */
const MORE = -1;

export class CsvParser {
  /** Text not yet parsed: it starts at the beginning of a row (or of blank lines before one). */
  private text = '';
  /** The line `text` starts on. */
  private line = 1;
  /** The record delimiter, once the first line break outside quotes showed it. */
  private rd: '\n' | '\r\n' | '\r' | undefined;
  private started = false;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
  ) {
    if (delimiter.length !== 1)
      throw new Error(`The CSV delimiter must be one character, not ${JSON.stringify(delimiter)}.`);
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses a chunk of text; complete rows are appended to `out`. */
  push(chunk: string, out: CsvRow[]): void {
    this.text = this.text.length ? this.text + chunk : chunk;
    this.parse(false, out);
  }

  /** The end of the input: the last row, or the error of an unclosed quote. */
  end(out: CsvRow[]): void {
    this.parse(true, out);
  }

  private parse(final: boolean, out: CsvRow[]): void {
    let text = this.text;
    if (!this.started) {
      if (text.length === 0) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.hasCr = text.indexOf('\r') !== -1;
    this.hasLf = text.indexOf('\n') !== -1;
    let pos = 0;
    while (pos < text.length) {
      const next = this.parseRecord(text, pos, final, out);
      if (next === MORE) break;
      pos = next;
    }
    this.text = pos === 0 ? text : text.slice(pos);
    if (this.text.length > this.maxRecordChars) this.tooLong();
  }

  private tooLong(): never {
    throw new CsvSyntaxError(
      'CSV_MAX_RECORD_SIZE',
      `Max Record Size: record exceed the maximum number of tolerated bytes of ${this.maxRecordChars} at line ${this.line}`,
      this.line,
    );
  }

  /**
   * The length of the record delimiter at `i` (0 when there is none), or MORE when the text ends at a
   * `\r` that a `\n` may follow. The first line break seen decides which delimiter the file uses.
   */
  private delimiterAt(text: string, i: number, final: boolean): number {
    const c = text.charCodeAt(i);
    if (c !== CR && c !== LF) return 0;
    if (c === CR && i + 1 >= text.length && !final && this.rd !== '\n' && this.rd !== '\r') return MORE;
    const crlf = c === CR && text.charCodeAt(i + 1) === LF;
    this.rd ??= crlf ? '\r\n' : c === LF ? '\n' : '\r';
    if (this.rd === '\n') return c === LF ? 1 : 0;
    if (this.rd === '\r') return c === CR ? 1 : 0;
    return crlf ? 2 : 0;
  }

  /** Whether the text being parsed holds a `\r` / a `\n` at all (most files have one kind only). */
  private hasCr = false;
  private hasLf = false;

  /** Line breaks in text[from, to): `\n`, `\r\n` and a lone `\r` count one each. */
  private breaks(text: string, from: number, to: number): number {
    let n = 0;
    if (this.hasLf) for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
    if (this.hasCr)
      for (let i = text.indexOf('\r', from); i !== -1 && i < to; i = text.indexOf('\r', i + 1))
        if (text.charCodeAt(i + 1) !== LF || i + 1 >= to) n++;
    return n;
  }

  /** One record from `start` (blank lines before it skipped): the position after it, or MORE. */
  private parseRecord(text: string, start: number, final: boolean, out: CsvRow[]): number {
    const n = text.length;
    const delimiter = this.delimiter;
    // Blank lines before the record are skipped (each one a line).
    let skipped = 0;
    for (;;) {
      const d = this.delimiterAt(text, start, final);
      if (d === MORE) return MORE;
      if (d === 0) break;
      start += d;
      skipped++;
      if (start >= n) {
        this.line += skipped;
        return start;
      }
    }
    const lineAt = (i: number) => this.line + skipped + this.breaks(text, start, i);
    const fields: string[] = [];
    let i = start;
    for (;;) {
      // One field from i.
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        let q = text.indexOf('"', from);
        let closedAt: number;
        for (;;) {
          if (q === -1) {
            if (!final) return MORE;
            throw new CsvSyntaxError(
              'CSV_QUOTE_NOT_CLOSED',
              `Quote Not Closed: the parsing is finished with an opening quote at line ${lineAt(n)}`,
              lineAt(n),
            );
          }
          if (q + 1 >= n && !final) return MORE;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            q = text.indexOf('"', from);
            continue;
          }
          closedAt = q;
          break;
        }
        value += text.slice(from, closedAt);
        fields.push(value);
        i = closedAt + 1;
        if (i >= n) return this.emit(fields, start, n, n, skipped, text, out); // final: the end of the input
        if (text.charCodeAt(i) === delimiter) {
          i++;
          if (i >= n) {
            if (!final) return MORE;
            fields.push('');
            return this.emit(fields, start, n, n, skipped, text, out);
          }
          continue;
        }
        const d = this.delimiterAt(text, i, final);
        if (d === MORE) return MORE;
        if (d > 0) return this.emit(fields, start, i, i + d, skipped, text, out);
        const line = lineAt(i);
        throw new CsvSyntaxError(
          'CSV_INVALID_CLOSING_QUOTE',
          `Invalid Closing Quote: got "${text[i]}" at line ${line} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
          line,
        );
      }
      // An unquoted field: to the delimiter, the record delimiter or the end.
      const fieldStart = i;
      for (;;) {
        if (i >= n) {
          if (!final) return MORE;
          fields.push(text.slice(fieldStart, n));
          return this.emit(fields, start, n, n, skipped, text, out);
        }
        const c = text.charCodeAt(i);
        if (c === delimiter) {
          fields.push(text.slice(fieldStart, i));
          i++;
          if (i >= n) {
            if (!final) return MORE;
            fields.push('');
            return this.emit(fields, start, n, n, skipped, text, out);
          }
          break;
        }
        if (c === CR || c === LF) {
          const d = this.delimiterAt(text, i, final);
          if (d === MORE) return MORE;
          if (d > 0) {
            fields.push(text.slice(fieldStart, i));
            return this.emit(fields, start, i, i + d, skipped, text, out);
          }
        } else if (c === QUOTE) {
          if (i > fieldStart) {
            const line = lineAt(i);
            throw new CsvSyntaxError(
              'INVALID_OPENING_QUOTE',
              `Invalid Opening Quote: a quote is found on field ${fields.length} at line ${line}, value is ${JSON.stringify(text.slice(fieldStart, i))}`,
              line,
            );
          }
        }
        i++;
      }
    }
  }

  /** Hands a row on: its text is text[start, end), its line break ends at `next`. */
  private emit(
    fields: string[],
    start: number,
    end: number,
    next: number,
    skipped: number,
    text: string,
    out: CsvRow[],
  ): number {
    if (end - start > this.maxRecordChars) {
      this.line += skipped;
      this.tooLong();
    }
    const line = this.line + skipped;
    const endLine = line + this.breaks(text, start, end);
    out.push({ fields, line, endLine, size: end - start });
    this.line = next > end ? endLine + 1 : endLine;
    return next;
  }
}
