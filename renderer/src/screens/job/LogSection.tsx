/** The job log on request: every warning and error, including those not kept in memory. */
import { useState } from 'react';
import type { CallResponse } from '../../../../preload/contract';
import { api } from '../../api';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { IDLE, LOADING, failed, ready, type Load } from '../../load';

export function LogSection({ jobId }: { jobId: string }) {
  const [open, setOpen] = useState(false);
  const [log, setLog] = useState<Load<CallResponse<'jobs.log'>>>(IDLE);
  const regionId = `log-${jobId}`;

  const load = async () => {
    setLog(LOADING);
    try {
      setLog(ready(await api().call('jobs.log', { jobId })));
    } catch (caught) {
      setLog(failed(caught));
    }
  };

  return (
    <section className="log-section" aria-label="Job log">
      <div className="log-toolbar">
        <Button
          variant="link"
          aria-expanded={open}
          aria-controls={regionId}
          onClick={() => {
            if (!open) void load();
            setOpen(!open);
          }}
        >
          {open ? 'Hide log' : 'Show log'}
        </Button>
        {open && (
          <Button variant="link" onClick={() => void load()} disabled={log.status === 'loading'}>
            Refresh
          </Button>
        )}
      </div>
      {open && (
        <div id={regionId} className="log-body">
          {log.status === 'loading' && (
            <p className="loading" role="status">
              <span className="spinner" aria-hidden="true" /> Loading the log…
            </p>
          )}
          {log.status === 'error' && (
            <Alert title="Could not read the log" message={log.message} onRetry={() => void load()} />
          )}
          {log.status === 'ready' && (
            <>
              {log.value.path && (
                <p className="muted">
                  Log file: <span className="mono">{log.value.path}</span>
                  {log.value.truncated ? ' (showing its newest part)' : ''}
                </p>
              )}
              {log.value.text ? (
                <pre className="log-text" tabIndex={0} aria-label="Log text">
                  {log.value.text}
                </pre>
              ) : (
                <p className="muted">The log is empty.</p>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
