/** The job's items (collections, files, tables) with their own progress and an honest status. */
import type { JobSnapshot } from '../../../../preload/contract';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, percentOf, plural } from '../../format';
import { ITEM_STATUS_LABEL, bytesText, docsText, type Item } from './shared';

/**
 * Once the job has ended, a row still "running" or "pending" was stopped or never started; in a cancelled
 * job a row "skipped" with documents written was cancelled part-way, one without never started; in a
 * failed job such a row was stopped by the failure (never "Skipped", which reads as a choice).
 */
export function effectiveStatus(
  item: Item,
  jobActive: boolean,
  jobState?: JobSnapshot['state'],
): Item['status'] | 'stopped' | 'not-started' | 'cancelled' {
  const { status } = item;
  if (jobActive) return status;
  if (jobState === 'cancelled' && (status === 'skipped' || status === 'running'))
    return item.docs ? 'cancelled' : 'not-started';
  if (jobState === 'failed' && status === 'skipped') return item.docs ? 'stopped' : 'not-started';
  if (status === 'running') return 'stopped';
  if (status === 'pending') return 'not-started';
  return status;
}

const STOPPED_LABEL = { stopped: 'Stopped', 'not-started': 'Not started', cancelled: 'Cancelled' } as const;

export function ItemRows({
  items,
  jobActive,
  jobState,
}: {
  items: Item[];
  jobActive: boolean;
  jobState?: JobSnapshot['state'];
}) {
  const done = items.filter((item) => item.status === 'done').length;
  return (
    <section className="card" aria-labelledby="items-heading">
      <div className="card-header">
        <h2 id="items-heading">Items</h2>
        <span className="muted">
          {formatCount(done)} of {formatCount(items.length)} done
        </span>
      </div>
      <ul className="item-rows" role="list" aria-labelledby="items-heading">
        {items.map((item) => {
          const percent =
            item.status === 'done'
              ? 100
              : (percentOf(item.docs, item.totalDocs) ?? percentOf(item.bytes, item.totalBytes));
          const status = effectiveStatus(item, jobActive, jobState);
          const statusLabel =
            status === 'stopped' || status === 'not-started' || status === 'cancelled'
              ? STOPPED_LABEL[status]
              : ITEM_STATUS_LABEL[status];
          const docs = docsText(item.docs, item.totalDocs);
          const bytes = bytesText(item.bytes, item.totalBytes);
          return (
            <li key={item.id} className={`item-row item-${status}`}>
              <div className="item-row-head">
                <span className="item-label mono">{item.label}</span>
                <span className={`pill pill-${status}`}>{statusLabel}</span>
              </div>
              <ProgressBar
                size="small"
                label={`${item.label} progress`}
                percent={item.status === 'pending' ? 0 : percent}
                valueText={docs ?? bytes}
                tone={
                  status === 'failed'
                    ? 'danger'
                    : status === 'done'
                      ? 'success'
                      : status === 'running' || status === 'pending'
                        ? 'default'
                        : 'muted'
                }
              />
              <div className="item-row-foot muted">
                {status === 'cancelled'
                  ? `Cancelled after ${plural(item.docs ?? 0, 'document')}`
                  : [docs, bytes].filter(Boolean).join(' · ')}
                {item.detail && (
                  <span className="item-detail">
                    {docs || bytes ? ' · ' : ''}
                    {item.detail}
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
