/** Labels, formatting and the clock the job screen's parts share. */
import { useEffect, useState } from 'react';
import type { JobSnapshot } from '../../../../preload/contract';
import { formatBytes, formatCount, plural } from '../../format';

export type Item = JobSnapshot['items'][number];

const STATE_LABEL: Record<JobSnapshot['state'], string> = {
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The state as shown: a succeeded job whose answer needs attention shows that ("Not ready"). */
export function stateBadge(job: Pick<JobSnapshot, 'state' | 'attention'>): { label: string; className: string } {
  if (job.state === 'succeeded' && job.attention) return { label: job.attention, className: 'state state-attention' };
  return { label: STATE_LABEL[job.state], className: `state state-${job.state}` };
}

export const ITEM_STATUS_LABEL: Record<Item['status'], string> = {
  pending: 'Waiting',
  running: 'In progress',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

/** Ticks every second while the job runs, for the elapsed time. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** "9,000 of 20,000 documents" or "9,000 documents". */
export function docsText(docs: number | undefined, total: number | undefined): string | undefined {
  // A provider that never counts documents (e.g. an account move) shows no document figures.
  if (!docs && total === undefined) return undefined;
  return total !== undefined
    ? `${formatCount(docs ?? 0)} of ${plural(total, 'document')}`
    : plural(docs ?? 0, 'document');
}

export function bytesText(bytes: number | undefined, total: number | undefined): string | undefined {
  if (!bytes && total === undefined) return undefined;
  return total !== undefined ? `${formatBytes(bytes ?? 0)} of ${formatBytes(total)}` : formatBytes(bytes ?? 0);
}
