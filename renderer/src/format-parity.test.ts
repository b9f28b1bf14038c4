/**
 * One byte format across the app: the window's formatter (renderer/src/format.ts) and the providers'
 * (providers/shared/format.ts, which writes the sizes and counts in job summaries) give identical strings
 * for identical inputs, so a summary never shows "1001.6 KB" beside the window's "1,002 KB".
 */
import { describe, expect, it } from 'vitest';
import * as providers from '../../providers/shared/format';
import * as window from './format';

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

describe('one byte format for the window and the providers', () => {
  it.each(BYTES)('%d bytes read "%s" in both', (value, expected) => {
    expect(window.formatBytes(value)).toBe(expected);
    expect(providers.formatBytes(value)).toBe(expected);
  });
  it.each(COUNTS)('the count %d reads "%s" in both', (value, expected) => {
    expect(window.formatCount(value)).toBe(expected);
    expect(providers.formatCount(value)).toBe(expected);
  });
  it.each([[0, 'document'], [1, 'document'], [2, 'bad row'], [1, 'bad row'], [1, 'index', 'indexes'], [3, 'index', 'indexes'], [1_000, 'document']] as Array<[number, string, string?]>)(
    'plural(%d, %s) agrees',
    (count, one, many) => {
      expect(providers.plural(count, one, many)).toBe(window.plural(count, one, many));
      expect(window.plural(count, one, many)).toMatch(count === 1 ? new RegExp(`^1 ${one}$`) : /s$/);
    },
  );
  it('agrees on a sweep of sizes from bytes to terabytes', () => {
    for (let value = 1; value < 2 * 1024 ** 4; value = Math.ceil(value * 1.37)) {
      expect(providers.formatBytes(value)).toBe(window.formatBytes(value));
    }
  });
});
