/**
 * Numbers as people read them in summaries and reports. The window formats with the same rules
 * (renderer/src/format.ts; renderer/src/format-parity.test.ts proves both give identical strings), so a
 * size in a provider's summary reads exactly like a size the window drew: "1,002 KB", "3.4 MB", "512 bytes".
 */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 0 });

/** A count with thousands grouped: "20,000". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return integer.format(Math.round(n));
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes as "512 bytes", "1 byte", "3.4 MB", "1,002 KB" (1 KB = 1024 bytes; three significant figures from 100 up). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (Math.abs(bytes) < 1024) return `${integer.format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let unit = 0;
  let scaled = bytes;
  while (Math.abs(scaled) >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const text = Math.abs(scaled) >= 100 ? integer.format(scaled) : oneDecimal.format(scaled);
  return `${text} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "1 document", "2 documents", "1,000 bad rows": the count and its noun agree (the window's plural()). */
export function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
