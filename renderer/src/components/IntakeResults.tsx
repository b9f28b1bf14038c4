/** What the file intake found: connections added, and per-file errors (role=alert, naming the file). */
import { useIntake } from '../store/intake';
import { useConnections } from '../store/connections';
import { useUi } from '../store/ui';
import { Icon } from './Icon';

export function IntakeResults() {
  const entries = useIntake((s) => s.entries);
  const busy = useIntake((s) => s.busy);
  const dismiss = useIntake((s) => s.dismiss);
  const select = useConnections((s) => s.select);
  const navigate = useUi((s) => s.navigate);

  if (!entries.length && !busy) return null;
  return (
    <section className="intake" aria-label="Opened files">
      {busy > 0 && (
        <p className="intake-busy">
          <span className="spinner" aria-hidden="true" /> Reading {busy} file{busy === 1 ? '' : 's'}…
        </p>
      )}
      <ul className="intake-list" role="list">
        {entries.map((entry) => {
          const ok = entry.connections.length > 0;
          const failed = entry.errors.length > 0;
          return (
            <li key={entry.key} className={`intake-entry ${failed ? (ok ? 'intake-partial' : 'intake-failed') : 'intake-ok'}`}>
              <div className="intake-entry-body">
                <p className="intake-file">
                  <Icon name={failed && !ok ? 'warning' : 'file'} className="intake-file-icon" />
                  <strong>{entry.fileName}</strong>
                  {ok && (
                    <span className="intake-count">
                      {' '}
                      · added {entry.connections.length} connection{entry.connections.length === 1 ? '' : 's'}
                    </span>
                  )}
                  {!ok && !failed && <span className="intake-count"> · no connections found in this file</span>}
                </p>
                {ok && (
                  <ul className="intake-connections" role="list" aria-label={`Connections from ${entry.fileName}`}>
                    {entry.connections.map((connection) => (
                      <li key={connection.id}>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => {
                            select({ connectionId: connection.id });
                            navigate({ name: 'connection', connectionId: connection.id });
                          }}
                        >
                          {connection.name}
                        </button>{' '}
                        <span className="muted">{connection.redactedUri}</span>
                      </li>
                    ))}
                  </ul>
                )}
                {failed && (
                  <div role="alert" className="intake-errors">
                    {entry.errors.map((error, index) => (
                      <p key={index}>{error.startsWith(entry.fileName) ? error : `${entry.fileName}: ${error}`}</p>
                    ))}
                  </div>
                )}
              </div>
              <button type="button" className="icon-button" aria-label={`Dismiss ${entry.fileName}`} onClick={() => dismiss(entry.key)}>
                <Icon name="x" />
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
