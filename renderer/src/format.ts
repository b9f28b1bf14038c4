/**
 * Number, size, rate and time formatting for people (never raw numbers on screen). Counts and sizes are the
 * app's one format (providers/api/format.ts, reached through preload/format.ts), the same as the providers'
 * summaries and the command line. The window speaks English: en-US digits.
 */
import { formatBytes, formatCount, plural } from '../../preload/format';

export { formatBytes, formatCount, plural };

/** "12,345 docs/s · 3.4 MB/s" (either part is left out when unknown). */
export function formatRate(docsPerSecond: number | undefined, bytesPerSecond: number | undefined): string {
  const parts: string[] = [];
  if (docsPerSecond !== undefined && Number.isFinite(docsPerSecond) && docsPerSecond > 0)
    parts.push(`${formatCount(docsPerSecond)} docs/s`);
  if (bytesPerSecond !== undefined && Number.isFinite(bytesPerSecond) && bytesPerSecond > 0)
    parts.push(`${formatBytes(bytesPerSecond)}/s`);
  return parts.length ? parts.join(' · ') : '–';
}

/** A duration in seconds as "45 s", "2 min 10 s", "1 h 5 min", "2 d 3 h". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.round(seconds);
  if (total < 1) return seconds > 0 ? 'under 1 s' : '0 s';
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const secs = total % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return secs ? `${minutes} min ${secs} s` : `${minutes} min`;
  return `${secs} s`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A timestamp (ms): just the time when it is today, else date and time. */
export function formatTimestamp(ms: number | undefined, now: number = Date.now()): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  const date = new Date(ms);
  const today = new Date(now);
  const sameDay =
    date.getFullYear() === today.getFullYear() &&
    date.getMonth() === today.getMonth() &&
    date.getDate() === today.getDate();
  return sameDay ? timeOnly.format(date) : dateTime.format(date);
}

/** Percent 0..100 of done/total, or undefined when there is no meaningful total. */
export function percentOf(done: number | undefined, total: number | undefined): number | undefined {
  if (done === undefined || total === undefined || !Number.isFinite(total) || total <= 0) return undefined;
  return Math.max(0, Math.min(100, (done / total) * 100));
}
