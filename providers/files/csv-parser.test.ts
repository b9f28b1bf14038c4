/**
 * The import's CSV parser against csv-parse, which it replaced: for thousands of random texts (quotes,
 * doubled quotes, delimiters, `\n`, `\r\n`, lone `\r`, blank lines, a BOM, unicode) cut into random
 * chunks, the same rows (or the same error code), and the line each row starts on wherever csv-parse
 * counts lines right (no `\r` in the text).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CsvParser, CsvSyntaxError, type CsvRow } from './csv-parser';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ours(
  text: string,
  delimiter: string,
  cuts: number[],
): { rows?: Array<{ fields: string[]; line: number }>; error?: string } {
  const parser = new CsvParser(delimiter, 1 << 20);
  const out: CsvRow[] = [];
  try {
    let from = 0;
    for (const cut of [...cuts, text.length]) {
      parser.push(text.slice(from, cut), out);
      from = cut;
    }
    parser.end(out);
    return { rows: out.map((r) => ({ fields: r.fields, line: r.line })) };
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { error: error.code };
    throw error;
  }
}

function theirs(text: string, delimiter: string): { rows?: Array<{ fields: string[]; line: number }>; error?: string } {
  try {
    const records = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      raw: true,
      skip_empty_lines: true,
      on_record: ((parsed: { record: string[]; raw: string }, context: { lines: number }) => ({
        ...parsed,
        lines: context.lines,
      })) as never,
    }) as unknown as Array<{ record: string[]; raw: string; lines: number }>;
    // The line a record starts on, as the import worked it out from csv-parse's count.
    const line = (r: { raw: string; lines: number }) =>
      r.lines -
      (r.raw
        .replace(/^[\r\n]+/, '')
        .replace(/\r?\n$/, '')
        .split('\n').length -
        1);
    return { rows: records.map((r) => ({ fields: r.record, line: line(r) })) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

describe('CsvParser', () => {
  it("gives csv-parse's rows and errors for 5,000 random texts in random chunks", () => {
    const next = random(42);
    const pieces = [
      'a',
      'bc',
      'é',
      '😀',
      ' ',
      ',',
      ';',
      '"',
      '""',
      '"x"',
      '"a,b"',
      '"l1\nl2"',
      '\n',
      '\n',
      '\r\n',
      '\r',
      '\n\n',
      '\t',
      '12',
    ];
    for (let t = 0; t < 5000; t++) {
      const delimiter = next() < 0.8 ? ',' : next() < 0.5 ? ';' : '\t';
      let text = next() < 0.1 ? '\ufeff' : '';
      const length = Math.floor(next() * 30);
      for (let k = 0; k < length; k++) text += pieces[Math.floor(next() * pieces.length)];
      const cuts = Array.from({ length: Math.floor(next() * 4) }, () => Math.floor(next() * text.length)).sort(
        (a, b) => a - b,
      );
      const mine = ours(text, delimiter, cuts);
      const reference = theirs(text, delimiter);
      const label = JSON.stringify({ text, delimiter, cuts });
      if (reference.error) {
        expect(mine.error, label).toBe(reference.error);
        continue;
      }
      expect(mine.error, label).toBeUndefined();
      expect(
        mine.rows!.map((r) => r.fields),
        label,
      ).toEqual(reference.rows!.map((r) => r.fields));
      if (!text.includes('\r'))
        expect(
          mine.rows!.map((r) => r.line),
          label,
        ).toEqual(reference.rows!.map((r) => r.line));
    }
  });

  it('reads well-formed files of every line ending the same in any chunking, counting lines in quoted fields', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `\ufeffid,name,note${eol}1,"Bob, Jr.","say ""hi"""${eol}${eol}2,Ann,"two${eol}lines"${eol}3,,${eol}`;
      const whole = ours(text, ',', []);
      expect(whole.rows).toEqual([
        { fields: ['id', 'name', 'note'], line: 1 },
        { fields: ['1', 'Bob, Jr.', 'say "hi"'], line: 2 },
        { fields: ['2', 'Ann', `two${eol}lines`], line: 4 },
        { fields: ['3', '', ''], line: 6 },
      ]);
      for (let cut = 1; cut < text.length; cut++)
        expect(ours(text, ',', [cut]), `${JSON.stringify(eol)} cut at ${cut}`).toEqual(whole);
    }
  });

  it('names an unclosed quote, a stray quote and a row over the limit', () => {
    const fail = (text: string, max = 1 << 20) => {
      try {
        const parser = new CsvParser(',', max);
        parser.push(text, []);
        parser.end([]);
      } catch (error) {
        return error as CsvSyntaxError;
      }
      throw new Error('no error');
    };
    expect(fail('a,b\n1,"x\n3,4\n').code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect(fail('a,b\n1,"x"y\n')).toMatchObject({ code: 'CSV_INVALID_CLOSING_QUOTE', lines: 2 });
    expect(fail('a,b\n\n1,x"y\n')).toMatchObject({ code: 'INVALID_OPENING_QUOTE', lines: 3 });
    expect(fail(`a,b\n1,${'x'.repeat(100)}\n`, 50).code).toBe('CSV_MAX_RECORD_SIZE');
  });
});
