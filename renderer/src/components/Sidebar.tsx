/** The sidebar: connections, a way to add one, and the jobs of this run. */
import { useConnections } from '../store/connections';
import { useSaved } from '../store/saved';
import { isActive, isBegun, useJobs } from '../store/jobs';
import { useUi } from '../store/ui';
import { percentOf } from '../format';
import { ProgressBar } from './ProgressBar';
import { Icon, KIND_ICON } from './Icon';

export function Sidebar() {
  const connections = useConnections((s) => s.connections);
  const selection = useConnections((s) => s.selection);
  const select = useConnections((s) => s.select);
  const view = useUi((s) => s.view);
  const info = useUi((s) => s.info);
  const navigate = useUi((s) => s.navigate);
  const savedCount = useSaved((s) => s.saved.length);
  const jobs = useJobs((s) => s.jobs);
  const order = useJobs((s) => s.order).filter((id) => isBegun(jobs[id]));
  const running = order.map((id) => jobs[id]).filter((job) => job && isActive(job.state));

  const openConnection = (connectionId: string) => {
    if (selection.connectionId !== connectionId) select({ connectionId });
    navigate({ name: 'connection', connectionId });
  };

  return (
    <nav className="sidebar" aria-label="Cutover">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="swap" size={18} />
        </span>
        <span className="brand-name">Cutover</span>
      </div>

      <button
        type="button"
        className={`nav-item nav-new${view.name === 'connect' ? ' nav-current' : ''}`}
        aria-current={view.name === 'connect' ? 'page' : undefined}
        onClick={() => navigate({ name: 'connect' })}
      >
        <Icon name="plus" className="nav-icon" /> New connection
      </button>
      <button
        type="button"
        className={`nav-item${view.name === 'saved' ? ' nav-current' : ''}`}
        aria-current={view.name === 'saved' ? 'page' : undefined}
        onClick={() => navigate({ name: 'saved' })}
      >
        <Icon name="database" className="nav-icon" /> Saved connections
        {savedCount > 0 && <span className="badge">{savedCount}</span>}
      </button>

      <h2 className="sidebar-heading" id="sidebar-connections">
        Connections
      </h2>
      {connections.length === 0 ? (
        <p className="sidebar-empty">None yet. Paste a connection string or drop a connection file.</p>
      ) : (
        <ul className="sidebar-list" role="list" aria-labelledby="sidebar-connections">
          {connections.map((connection) => {
            const current = view.name === 'connection' && view.connectionId === connection.id;
            return (
              <li key={connection.id}>
                <button
                  type="button"
                  className={`nav-item nav-connection${current ? ' nav-current' : ''}`}
                  aria-current={current ? 'page' : undefined}
                  onClick={() => openConnection(connection.id)}
                  title={connection.redactedUri}
                >
                  <Icon name={KIND_ICON[connection.kind]} className="nav-icon" />
                  <span className="nav-text">
                    <span className="nav-label">{connection.name}</span>
                    {/* An unnamed connection is named after its host: not shown twice. */}
                    {connection.name !== connection.host && <span className="nav-sub">{connection.host}</span>}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}

      <h2 className="sidebar-heading" id="sidebar-jobs">
        Jobs
      </h2>
      <button
        type="button"
        className={`nav-item${view.name === 'history' ? ' nav-current' : ''}`}
        aria-current={view.name === 'history' ? 'page' : undefined}
        onClick={() => navigate({ name: 'history' })}
      >
        <Icon name="clock" className="nav-icon" /> History
        {order.length > 0 && <span className="badge">{order.length}</span>}
      </button>
      {running.length > 0 && (
        <ul className="sidebar-list" role="list" aria-label="Running jobs">
          {running.map((job) => {
            const current = view.name === 'job' && view.jobId === job.jobId;
            return (
              <li key={job.jobId}>
                <button
                  type="button"
                  className={`nav-item nav-job${current ? ' nav-current' : ''}`}
                  aria-current={current ? 'page' : undefined}
                  onClick={() => navigate({ name: 'job', jobId: job.jobId })}
                >
                  <span className="nav-label">{job.title}</span>
                  <ProgressBar
                    size="small"
                    label={`${job.title} progress`}
                    percent={percentOf(job.docs, job.totalDocs) ?? percentOf(job.bytes, job.totalBytes)}
                  />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button
        type="button"
        className={`nav-item${view.name === 'settings' ? ' nav-current' : ''}`}
        aria-current={view.name === 'settings' ? 'page' : undefined}
        onClick={() => navigate({ name: 'settings' })}
      >
        <Icon name="check" className="nav-icon" /> Settings
      </button>
      <button
        type="button"
        className={`nav-item${view.name === 'providers' ? ' nav-current' : ''}`}
        aria-current={view.name === 'providers' ? 'page' : undefined}
        onClick={() => navigate({ name: 'providers' })}
      >
        <Icon name="swap" className="nav-icon" /> Providers
      </button>
      {info && (
        <p className="sidebar-footer">
          Cutover {info.version}
          {info.shell === 'browser' ? ' · browser harness' : ''}
        </p>
      )}
    </nav>
  );
}
