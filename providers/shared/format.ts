/**
 * Numbers as people read them in summaries and reports: counts and sizes follow the app's one format
 * (providers/api/format.ts, which the window and the command line use too); durations for summaries.
 */
export { formatBytes, formatCount, plural } from '../api/format';

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
