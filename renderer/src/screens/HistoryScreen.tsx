/** Jobs of this run (live) and of earlier runs (recorded on disk), newest first. */
import { useEffect } from 'react';
import type { JobState } from '../../../preload/contract';
import { isActive, isBegun, overallPercent, routeText, useJobs, workSeconds } from '../store/jobs';
import { useUi } from '../store/ui';
import { formatCount, formatDuration, formatTimestamp } from '../format';
import { ProgressBar } from '../components/ProgressBar';
import { Alert } from '../components/Alert';

const STATE_LABEL: Record<JobState, string> = {
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

interface Row {
  jobId: string;
  title: string;
  providerLabel: string;
  state: JobState;
  /** Succeeded, but the answer needs attention (e.g. "Not ready"). */
  attention?: string;
  /** A recorded job that was still running when its run ended. */
  interrupted: boolean;
  docs: number;
  totalDocs?: number;
  startedAt: number;
  endedAt?: number;
  waitedMs?: number;
  route?: { from: string; to?: string; format?: string };
  percent?: number;
}

export function HistoryScreen() {
  const jobs = useJobs((s) => s.jobs);
  const records = useJobs((s) => s.records);
  const history = useJobs((s) => s.history);
  const loadHistory = useJobs((s) => s.loadHistory);
  const navigate = useUi((s) => s.navigate);

  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  const rows = new Map<string, Row>();
  for (const record of Object.values(records)) {
    // The core says which records a Cutover process that has ended left running (its pid is gone or reused);
    // a record still running in another live Cutover (a CLI copy) stays running.
    rows.set(record.jobId, { ...record, interrupted: !!record.interrupted });
  }
  for (const job of Object.values(jobs)) {
    if (!isBegun(job)) continue;
    rows.set(job.jobId, { ...job, interrupted: false, percent: overallPercent(job) });
  }
  const list = [...rows.values()].sort((a, b) => b.startedAt - a.startedAt);

  return (
    <div className="screen screen-history">
      <header className="screen-header">
        <h1>History</h1>
        <p className="lede">Migrations of this and earlier sessions.</p>
      </header>
      {history.status === 'error' && (
        <Alert
          title="Could not read the earlier migrations"
          message={history.message}
          onRetry={() => void loadHistory()}
        />
      )}
      {list.length === 0 ? (
        history.status === 'loading' ? (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading…
          </p>
        ) : (
          <p className="empty card">No migrations yet. Choose a connection, then Migrate…</p>
        )
      ) : (
        <div className="card table-card">
          <table className="table">
            <caption className="visually-hidden">Migrations</caption>
            <thead>
              <tr>
                <th scope="col">Migration</th>
                <th scope="col">Provider</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Documents
                </th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {list.map((row) => {
                const live = !!jobs[row.jobId];
                const running = live && isActive(row.state);
                const seconds = workSeconds(row, running ? Date.now() : undefined);
                return (
                  <tr key={row.jobId}>
                    <th scope="row">
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => navigate({ name: 'job', jobId: row.jobId })}
                      >
                        {row.title}
                      </button>
                      {row.route && <span className="history-route muted">{routeText(row.route)}</span>}
                    </th>
                    <td>{row.providerLabel}</td>
                    <td>
                      <span
                        className={`state state-${row.interrupted ? 'failed' : row.state === 'succeeded' && row.attention ? 'attention' : row.state}`}
                      >
                        {row.interrupted
                          ? 'Interrupted'
                          : row.state === 'succeeded' && row.attention
                            ? row.attention
                            : STATE_LABEL[row.state]}
                      </span>
                      {running && <ProgressBar size="small" label={`${row.title} progress`} percent={row.percent} />}
                    </td>
                    <td className="num">
                      {formatCount(row.docs)}
                      {row.totalDocs !== undefined && row.totalDocs !== row.docs ? (
                        <span className="muted"> / {formatCount(row.totalDocs)}</span>
                      ) : null}
                    </td>
                    <td className="num">{seconds !== undefined ? formatDuration(seconds) : '–'}</td>
                    <td>{formatTimestamp(row.startedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
