/**
 * Counts and sizes as people read them: one rule for the whole app. Providers' summaries
 * (providers/shared/format.ts), the window (renderer/src/format.ts, through preload/format.ts) and the
 * command line's progress line all use these, so a screen never shows "1001.6 KB" beside "1,002 KB".
 * English, en-US digits; 1 KB = 1024 bytes.
 */
// Built on first use: creating an Intl.NumberFormat costs ~16 ms, which every thread paid at start-up.
let formats: { integer: Intl.NumberFormat; oneDecimal: Intl.NumberFormat } | undefined;
const numberFormats = () =>
  (formats ??= {
    integer: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }),
    oneDecimal: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 0 }),
  });

/** A count with thousands grouped: "20,000" ("–" when unknown). */
export function formatCount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return numberFormats().integer.format(Math.round(value));
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes as "512 bytes", "1 byte", "3.4 MB", "1,002 KB" (three significant figures from 100 up; "–" when unknown). */
export function formatBytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const { integer, oneDecimal } = numberFormats();
  if (Math.abs(value) < 1024) return `${integer.format(value)} ${value === 1 ? 'byte' : 'bytes'}`;
  let unit = 0;
  let scaled = value;
  while (Math.abs(scaled) >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const text = Math.abs(scaled) >= 100 ? integer.format(scaled) : oneDecimal.format(scaled);
  return `${text} ${UNITS[unit]}`;
}

/** "1 document", "2 documents", "1,000 bad rows": the count and its noun agree. */
export function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
