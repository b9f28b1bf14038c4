/**
 * The app's one count and size format (providers/api/format.ts), as the window (renderer/src/format.ts),
 * the providers' summaries (providers/shared/format.ts) and the command line reach it: every route gives the
 * same string, so a summary never shows "1001.6 KB" beside the window's "1,002 KB".
 */
import { describe, expect, it } from 'vitest';
import * as providers from '../shared/format';
import * as window from '../../renderer/src/format';
import * as sdk from './format';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;
const BYTES: Array<[number, string]> = [
  [0, '0 bytes'],
  [1, '1 byte'],
  [2, '2 bytes'],
  [512, '512 bytes'],
  [1023, '1,023 bytes'],
  [1024, '1 KB'],
  [1536, '1.5 KB'],
  [10 * KB + 100, '10.1 KB'],
  [99.95 * KB, '100 KB'],
  [1_025_638, '1,002 KB'],
  [1023.9 * KB, '1,024 KB'],
  [MB, '1 MB'],
  [3.4 * MB, '3.4 MB'],
  [123.45 * MB, '123 MB'],
  [500 * GB, '500 GB'],
  [2.25 * 1024 * GB, '2.3 TB'],
  [5 * 1024 ** 5, '5 PB'],
];
const COUNTS: Array<[number, string]> = [
  [0, '0'],
  [1, '1'],
  [999, '999'],
  [1000, '1,000'],
  [20_000, '20,000'],
  [1_234_567, '1,234,567'],
  [12.6, '13'],
];

describe('the one count and size format', () => {
  it.each(BYTES)('%d bytes read "%s"', (value, expected) => {
    expect(sdk.formatBytes(value)).toBe(expected);
  });
  it.each(COUNTS)('the count %d reads "%s"', (value, expected) => {
    expect(sdk.formatCount(value)).toBe(expected);
  });
  it('says "–" for an unknown or impossible number', () => {
    expect(sdk.formatBytes(undefined)).toBe('–');
    expect(sdk.formatBytes(Number.NaN)).toBe('–');
    expect(sdk.formatCount(Number.POSITIVE_INFINITY)).toBe('–');
  });
  it.each([
    [0, 'document', undefined, '0 documents'],
    [1, 'document', undefined, '1 document'],
    [1, 'bad row', undefined, '1 bad row'],
    [2, 'bad row', undefined, '2 bad rows'],
    [1, 'index', 'indexes', '1 index'],
    [3, 'index', 'indexes', '3 indexes'],
    [1_000, 'document', undefined, '1,000 documents'],
  ] as Array<[number, string, string | undefined, string]>)(
    'plural(%d, %s) reads the count and its noun',
    (count, one, many, expected) => {
      expect(sdk.plural(count, one, many)).toBe(expected);
    },
  );
  it('is the same code for the window, the providers and the command line', () => {
    for (const name of ['formatBytes', 'formatCount', 'plural'] as const) {
      expect(window[name]).toBe(sdk[name]);
      expect(providers[name]).toBe(sdk[name]);
    }
  });
  it("rounds and groups as Intl.NumberFormat('en-US') does (what it replaced), on 20,000 random numbers", () => {
    const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
    const intlBytes = (value: number) => {
      if (Math.abs(value) < 1024) return `${integer.format(value)} ${value === 1 ? 'byte' : 'bytes'}`;
      const unit = Math.min(5, Math.floor(Math.log(Math.abs(value)) / Math.log(1024)));
      let scaled = value;
      for (let i = 0; i < unit; i++) scaled /= 1024;
      const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
      return `${Math.abs(scaled) >= 100 ? integer.format(scaled) : oneDecimal.format(scaled)} ${units[unit]}`;
    };
    let seed = 14;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** (random() * 15);
      const value = i % 2 ? Math.floor(random() * magnitude) : random() * magnitude * (i % 10 === 0 ? -1 : 1);
      const expected = intlBytes(value);
      // Intl writes "-0" for a tiny negative number; Cutover writes 0.
      if (!expected.startsWith('-0 ')) expect(sdk.formatBytes(value)).toBe(expected);
      expect(sdk.formatCount(Math.abs(value))).toBe(integer.format(Math.abs(value)));
    }
  });
});
