/** The jobs of this run, newest first. */
import { isActive, overallPercent, useJobs } from '../store/jobs';
import { useUi } from '../store/ui';
import { formatCount, formatDuration, formatTimestamp } from '../format';
import { ProgressBar } from '../components/ProgressBar';

const STATE_LABEL = { running: 'Running', paused: 'Paused', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' } as const;

export function HistoryScreen() {
  const jobs = useJobs((s) => s.jobs);
  const order = useJobs((s) => s.order);
  const navigate = useUi((s) => s.navigate);
  const list = order.map((id) => jobs[id]).filter(Boolean);

  return (
    <div className="screen screen-history">
      <header className="screen-header">
        <h1>History</h1>
        <p className="lede">Migrations started since Cutover opened.</p>
      </header>
      {list.length === 0 ? (
        <p className="empty card">No migrations yet. Choose a connection, then Migrate…</p>
      ) : (
        <div className="card table-card">
          <table className="table">
            <caption className="visually-hidden">Migrations of this run</caption>
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
              {list.map((job) => {
                const active = isActive(job.state);
                const end = job.endedAt ?? (active ? Date.now() : undefined);
                return (
                  <tr key={job.jobId}>
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => navigate({ name: 'job', jobId: job.jobId })}>
                        {job.title}
                      </button>
                    </th>
                    <td>{job.providerLabel}</td>
                    <td>
                      <span className={`state state-${job.state}`}>{STATE_LABEL[job.state]}</span>
                      {active && <ProgressBar size="small" label={`${job.title} progress`} percent={overallPercent(job)} />}
                    </td>
                    <td className="num">
                      {formatCount(job.docs)}
                      {job.totalDocs !== undefined && job.totalDocs !== job.docs ? <span className="muted"> / {formatCount(job.totalDocs)}</span> : null}
                    </td>
                    <td className="num">{end !== undefined ? formatDuration((end - job.startedAt) / 1000) : '–'}</td>
                    <td>{formatTimestamp(job.startedAt)}</td>
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
