/**
 * Counts and sizes as people read them: one rule for the whole app. Providers' summaries
 * (providers/shared/format.ts), the window (renderer/src/format.ts, through preload/format.ts) and the
 * command line's progress line all use these, so a screen never shows "1001.6 KB" beside "1,002 KB".
 * English, en-US digits; 1 KB = 1024 bytes.
 */
// Written out rather than through Intl.NumberFormat: creating one costs ~16-20 ms, which every command
// line run paid at its first progress line (issue 14). Rounding is Intl's: half away from zero, on the
// number's exact value (what toFixed does).
const GROUPS = /\B(?=(\d{3})+(?!\d))/g;

/** `value` with at most `decimals` decimals (trailing zeros dropped) and its thousands grouped, en-US style. */
function decimal(value: number, decimals: 0 | 1): string {
  const text = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = text.split('.');
  const sign = value < 0 && /[1-9]/.test(text) ? '-' : '';
  return `${sign}${whole.replace(GROUPS, ',')}${fraction && fraction !== '0' ? `.${fraction}` : ''}`;
}

/** A count with thousands grouped: "20,000" ("–" when unknown). */
export function formatCount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return decimal(value, 0);
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes as "512 bytes", "1 byte", "3.4 MB", "1,002 KB" (three significant figures from 100 up; "–" when unknown). */
export function formatBytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) < 1024) return `${decimal(value, 0)} ${value === 1 ? 'byte' : 'bytes'}`;
  let unit = 0;
  let scaled = value;
  while (Math.abs(scaled) >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const text = decimal(scaled, Math.abs(scaled) >= 100 ? 0 : 1);
  return `${text} ${UNITS[unit]}`;
}

/** "1 document", "2 documents", "1,000 bad rows": the count and its noun agree. */
export function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
