/** A plan's questions (planning panel), then the job's live progress, then its result summary. */
import { useEffect, useState } from 'react';
import { usePrompts } from '../store/prompts';
import { PromptPanel } from '../components/PromptDialog';
import { Dialog } from '../components/Dialog';
import type { JobRecord, JobSnapshot } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { isActive, overallPercent, resultHeading, routeText, useJobs, workSeconds } from '../store/jobs';
import { useUi } from '../store/ui';
import { useMigrate } from '../store/migrate';
import { ProgressBar } from '../components/ProgressBar';
import { Icon } from '../components/Icon';
import { formatBytes, formatCount, formatDuration, formatRate, formatTimestamp, percentOf, plural } from '../format';

type Item = JobSnapshot['items'][number];

const STATE_LABEL: Record<JobSnapshot['state'], string> = {
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The state as shown: a succeeded job whose answer needs attention shows that ("Not ready"). */
function stateBadge(job: Pick<JobSnapshot, 'state' | 'attention'>): { label: string; className: string } {
  if (job.state === 'succeeded' && job.attention) return { label: job.attention, className: 'state state-attention' };
  return { label: STATE_LABEL[job.state], className: `state state-${job.state}` };
}

const ITEM_STATUS_LABEL: Record<Item['status'], string> = { pending: 'Waiting', running: 'In progress', done: 'Done', failed: 'Failed', skipped: 'Skipped' };

/** Ticks every second while the job runs, for the elapsed time. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** "9,000 of 20,000 documents" or "9,000 documents". */
function docsText(docs: number | undefined, total: number | undefined): string | undefined {
  // A provider that never counts documents (e.g. an account move) shows no document figures.
  if (!docs && total === undefined) return undefined;
  return total !== undefined ? `${formatCount(docs ?? 0)} of ${plural(total, 'document')}` : plural(docs ?? 0, 'document');
}

function bytesText(bytes: number | undefined, total: number | undefined): string | undefined {
  if (!bytes && total === undefined) return undefined;
  return total !== undefined ? `${formatBytes(bytes ?? 0)} of ${formatBytes(total)}` : formatBytes(bytes ?? 0);
}

export function JobScreen({ jobId }: { jobId: string }) {
  const live = useJobs((s) => s.jobs[jobId]);
  const record = useJobs((s) => s.records[jobId]);
  if (!live && record) return <RecordView record={record} />;
  return <LiveJobView jobId={jobId} />;
}

function LiveJobView({ jobId }: { jobId: string }) {
  const job = useJobs((s) => s.jobs[jobId]);
  const setPaused = useJobs((s) => s.setPaused);
  const [pauseError, setPauseError] = useState<string>();
  const [pausing, setPausing] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancelling = useJobs((s) => !!s.cancelling[jobId]);
  const cancelError = useJobs((s) => s.cancelErrors[jobId]);
  const cancel = useJobs((s) => s.cancel);
  const navigate = useUi((s) => s.navigate);
  const begin = useMigrate((s) => s.begin);
  const now = useNow(!!job && isActive(job.state));

  if (!job) {
    return (
      <div className="screen">
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Starting the migration…
        </p>
      </div>
    );
  }

  if (job.planning && isActive(job.state)) return <PlanningView job={job} />;

  const active = isActive(job.state);
  const percent = overallPercent(job);
  const elapsed = workSeconds(job, active ? now : job.startedAt + (job.waitedMs ?? 0)) ?? 0;
  const docs = docsText(job.docs, job.totalDocs);
  const bytes = bytesText(job.bytes, job.totalBytes);

  return (
    <div className="screen screen-job">
      <header className="screen-header screen-header-row">
        <div>
          <p className="eyebrow">{job.providerLabel}</p>
          <h1>{job.title}</h1>
          <p className="muted">
            Started {formatTimestamp(job.startedAt)} · <span className={stateBadge(job).className}>{stateBadge(job).label}</span>
          </p>
          {job.route && <p className="muted job-route">{routeText(job.route)}</p>}
        </div>
        {active && (
          <div className="header-actions">
            <button
              type="button"
              className="button"
              disabled={pausing || cancelling}
              onClick={async () => {
                setPausing(true);
                setPauseError(await setPaused(job.jobId, job.state === 'running'));
                setPausing(false);
              }}
            >
              {job.state === 'paused' ? 'Resume' : 'Pause'}
            </button>
            <button
              type="button"
              className="button button-danger-quiet"
              onClick={() => (job.docs > 0 ? setConfirmCancel(true) : void cancel(job.jobId))}
              disabled={cancelling}
            >
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
        )}
      </header>
      {confirmCancel && active && (
        // Once documents are written, stopping is asked first (the job stays resumable from History).
        <Dialog title="Stop this job?" tone="danger" onDismiss={() => setConfirmCancel(false)}>
          <p className="dialog-text">
            {plural(job.docs, 'document')} {job.docs === 1 ? 'has' : 'have'} been written so far. They stay where they are; you can resume from History.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" data-autofocus onClick={() => setConfirmCancel(false)}>
              Keep going
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setConfirmCancel(false);
                void cancel(job.jobId);
              }}
            >
              Stop the job
            </button>
          </div>
        </Dialog>
      )}
      {active && job.stalled && (
        <p className="alert alert-warning" role="status" data-testid="stalled">
          {job.stalled}. You can stop now: what is written stays, and the job can be resumed.
        </p>
      )}
      {cancelError && (
        <p className="alert alert-error" role="alert">
          Could not cancel: {cancelError}
        </p>
      )}
      {pauseError && (
        <p className="alert alert-error" role="alert">
          Could not {job.state === 'paused' ? 'resume' : 'pause'}: {pauseError}
        </p>
      )}
      {job.state === 'paused' && (
        <p className="alert alert-info" role="status">
          Paused. Nothing is being read or written until you resume.
        </p>
      )}

      {active && job.waitingFor && (
        // The host asks this itself (a native dialog, the harness's chooser page): the window only says so.
        <p className="alert alert-info" role="status" data-testid="host-question">
          Waiting for you: {job.waitingFor}
        </p>
      )}

      {!active && <ResultPanel job={job} elapsed={elapsed} />}

      {job.phases.length > 0 && <PhaseStepper job={job} />}

      <section className="card progress-card" aria-label="Progress">
        <div className="progress-head">
          {percent !== undefined ? (
            <span className="progress-percent" aria-hidden="true">{`${Math.floor(percent)}%`}</span>
          ) : (
            active && <span className="progress-phase">{job.phase ? `${job.phase}…` : 'Working…'}</span>
          )}
          {active && job.phase && percent !== undefined && <span className="muted">{job.phase}</span>}
        </div>
        <ProgressBar
          label="Overall progress"
          percent={percent}
          valueText={docs ?? bytes}
          tone={job.state === 'failed' ? 'danger' : job.state === 'cancelled' ? 'muted' : job.state === 'succeeded' ? (job.attention ? 'muted' : 'success') : 'default'}
        />
        <dl className="figures">
          {docs && (
            <div>
              <dt>Documents</dt>
              <dd>{docs}</dd>
            </div>
          )}
          {bytes && (
            <div>
              <dt>Data</dt>
              <dd>{bytes}</dd>
            </div>
          )}
          {active && (job.docs > 0 || job.bytes > 0) && (
            <div>
              <dt>Rate</dt>
              <dd>{job.stalled ? '0 docs/s' : formatRate(job.docsPerSecond, job.bytesPerSecond)}</dd>
            </div>
          )}
          {active && (job.etaSeconds !== undefined || job.docs > 0 || job.bytes > 0) && (
            <div>
              <dt>Time left</dt>
              <dd>{job.stalled ? 'unknown' : job.etaSeconds !== undefined ? formatDuration(job.etaSeconds) : 'estimating…'}</dd>
            </div>
          )}
          <div>
            <dt>{active ? 'Elapsed' : 'Duration'}</dt>
            <dd>{formatDuration(elapsed)}</dd>
          </div>
        </dl>
      </section>

      {job.items.length > 0 && <ItemRows items={job.items} jobActive={active} jobState={job.state} />}
      <Messages job={job} />
      <LogSection jobId={job.jobId} />

      {!active && (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => navigate({ name: 'history' })}>
            History
          </button>
          {job.canRerun && <RerunButton jobId={job.jobId} state={job.state} />}
          <button type="button" className="button button-primary" onClick={() => void begin()}>
            New migration…
          </button>
        </div>
      )}
    </div>
  );
}

function PhaseStepper({ job }: { job: JobSnapshot }) {
  const current = job.phase ? job.phases.indexOf(job.phase) : -1;
  const finished = job.state === 'succeeded';
  return (
    <ol className="stepper" aria-label="Phases">
      {job.phases.map((phase, index) => {
        const done = finished || (current >= 0 && index < current);
        const now = !finished && index === current;
        const status = done ? 'done' : now ? (isActive(job.state) ? 'current' : job.state === 'failed' ? 'failed' : 'stopped') : 'todo';
        return (
          <li key={phase} className={`step step-${status}`} aria-current={now ? 'step' : undefined}>
            <span className="step-dot" aria-hidden="true">
              {done ? <Icon name="check" size={14} /> : status === 'failed' ? '!' : index + 1}
            </span>
            <span className="step-label">{phase}</span>
            <span className="visually-hidden">
              {done ? ' (done)' : now ? (isActive(job.state) ? ' (in progress)' : ` (${job.state})`) : ' (to do)'}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * Once the job has ended, a row still "running" or "pending" was stopped or never started; in a cancelled
 * job a row "skipped" with documents written was cancelled part-way, one without never started.
 */
function effectiveStatus(item: Item, jobActive: boolean, jobState?: JobSnapshot['state']): Item['status'] | 'stopped' | 'not-started' | 'cancelled' {
  const { status } = item;
  if (jobActive) return status;
  if (jobState === 'cancelled' && (status === 'skipped' || status === 'running')) return item.docs ? 'cancelled' : 'not-started';
  if (status === 'running') return 'stopped';
  if (status === 'pending') return 'not-started';
  return status;
}

const STOPPED_LABEL = { stopped: 'Stopped', 'not-started': 'Not started', cancelled: 'Cancelled' } as const;

function ItemRows({ items, jobActive, jobState }: { items: Item[]; jobActive: boolean; jobState?: JobSnapshot['state'] }) {
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
          const percent = item.status === 'done' ? 100 : (percentOf(item.docs, item.totalDocs) ?? percentOf(item.bytes, item.totalBytes));
          const status = effectiveStatus(item, jobActive, jobState);
          const statusLabel = status === 'stopped' || status === 'not-started' || status === 'cancelled' ? STOPPED_LABEL[status] : ITEM_STATUS_LABEL[status];
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
                tone={status === 'failed' ? 'danger' : status === 'done' ? 'success' : status === 'running' || status === 'pending' ? 'default' : 'muted'}
              />
              <div className="item-row-foot muted">
                {status === 'cancelled' ? `Cancelled after ${plural(item.docs ?? 0, 'document')}` : [docs, bytes].filter(Boolean).join(' · ')}
                {item.detail && <span className="item-detail">{docs || bytes ? ' · ' : ''}{item.detail}</span>}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The errors or the warnings of a job, under a heading that counts them. */
function MessageList({ kind, messages }: { kind: 'error' | 'warning'; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <>
      <h2 className={`messages-heading messages-${kind}`}>
        <Icon name={kind} className="inline-icon" />
        {plural(messages.length, kind)}
      </h2>
      <ul className="message-list" role="list" aria-label={kind === 'error' ? 'Errors' : 'Warnings'}>
        {messages.map((message, index) => (
          <li key={index} className={`message-item message-item-${kind}`}>
            {message}
          </li>
        ))}
      </ul>
    </>
  );
}

function Messages({ job }: { job: JobSnapshot }) {
  if (!job.warnings.length && !job.errors.length && !job.droppedMessages) return null;
  return (
    <section className="card messages" aria-label="Warnings and errors">
      <MessageList kind="error" messages={job.errors} />
      <MessageList kind="warning" messages={job.warnings} />
      {job.droppedMessages > 0 && <p className="muted">{plural(job.droppedMessages, 'more message')} not shown here: all of them are in the job log.</p>}
    </section>
  );
}

type ResultData = Pick<JobSnapshot, 'state' | 'title' | 'summary' | 'stats' | 'details' | 'docs' | 'attention' | 'heading'> & { totalDocs?: number };

function ResultPanel({ job, elapsed }: { job: ResultData; elapsed: number | undefined }) {
  // A succeeded job whose answer needs attention (e.g. "Not ready") is shown as that, not as a success.
  const attention = job.state === 'succeeded' ? job.attention : undefined;
  const heading = attention ?? resultHeading(job);
  const icon = attention ? 'warning' : job.state === 'succeeded' ? 'check' : job.state === 'cancelled' ? 'ban' : 'x';
  const docs = docsText(job.docs, job.totalDocs);
  return (
    <section className={`card result result-${attention ? 'attention' : job.state}`} aria-labelledby="result-heading">
      <div className="result-head">
        <span className="result-icon">
          <Icon name={icon} size={20} />
        </span>
        <div>
          <h2 id="result-heading">{heading}</h2>
          {job.summary && <p className="result-summary">{job.summary}</p>}
          {!job.summary && docs && <p className="result-summary">{job.state === 'succeeded' ? `${docs} processed.` : `Stopped after ${docs}.`}</p>}
        </div>
      </div>
      <dl className="stats">
        {job.stats?.map((stat, index) => (
          <div key={`${stat.label}-${index}`}>
            <dt>{stat.label}</dt>
            <dd>{stat.value}</dd>
          </div>
        ))}
        {!job.stats?.some((s) => /document/i.test(s.label)) && docs && (
          <div>
            <dt>{job.state === 'succeeded' ? 'Documents' : 'Documents processed'}</dt>
            <dd>{docs}</dd>
          </div>
        )}
        {!job.stats?.some((s) => /duration|time/i.test(s.label)) && elapsed !== undefined && (
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(elapsed)}</dd>
          </div>
        )}
      </dl>
      {job.details?.map((section, index) => <DetailSection key={`${section.title}-${index}`} title={section.title} items={section.items} />)}
    </section>
  );
}

const DETAIL_LIMIT = 200;

function DetailSection({ title, items }: { title: string; items: string[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, DETAIL_LIMIT);
  return (
    <div className="detail-section">
      <h3>
        {title} <span className="muted">({formatCount(items.length)})</span>
      </h3>
      {items.length > 0 && (
        <ul className="detail-list" role="list" aria-label={title}>
          {shown.map((item, index) => (
            <li key={index} className="mono">
              {item}
            </li>
          ))}
        </ul>
      )}
      {items.length > shown.length && (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          Show all {formatCount(items.length)}
        </button>
      )}
    </div>
  );
}

/** Runs a recorded job again with the same parameters (an unfinished copy resumes where it stopped). */
function RerunButton({ jobId, state }: { jobId: string; state: JobSnapshot['state'] }) {
  const rerun = useJobs((s) => s.rerun);
  const navigate = useUi((s) => s.navigate);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const label = state === 'succeeded' ? 'Run again' : 'Resume';
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={busy}
        title={state === 'succeeded' ? 'Run this migration again with the same settings' : 'Run it again with the same settings: it continues where it stopped'}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            navigate({ name: 'job', jobId: await rerun(jobId) });
          } catch (caught) {
            setError(messageOf(caught));
            setBusy(false);
          }
        }}
      >
        {busy ? 'Starting…' : label}
      </button>
      {error && (
        <p className="alert alert-error" role="alert">
          Could not start it again: {error}
        </p>
      )}
    </>
  );
}

/** The job's log, on request (every warning and error, including those not kept in memory). */
function LogSection({ jobId }: { jobId: string }) {
  const [open, setOpen] = useState(false);
  const [log, setLog] = useState<{ path?: string; text: string; truncated: boolean }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const regionId = `log-${jobId}`;

  const load = async () => {
    setLoading(true);
    setError(undefined);
    try {
      setLog(await api().call('jobs.log', { jobId }));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setLoading(false);
    }
  };

  return (
    <section className="log-section" aria-label="Job log">
      <div className="log-toolbar">
        <button
          type="button"
          className="link-button"
          aria-expanded={open}
          aria-controls={regionId}
          onClick={() => {
            if (!open) void load();
            setOpen(!open);
          }}
        >
          {open ? 'Hide log' : 'Show log'}
        </button>
        {open && (
          <button type="button" className="link-button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        )}
      </div>
      {open && (
        <div id={regionId} className="log-body">
          {loading && !log && (
            <p className="loading" role="status">
              <span className="spinner" aria-hidden="true" /> Loading the log…
            </p>
          )}
          {error && (
            <p className="alert alert-error" role="alert">
              Could not read the log: {error}
            </p>
          )}
          {log && (
            <>
              {log.path && (
                <p className="muted">
                  Log file: <span className="mono">{log.path}</span>
                  {log.truncated ? ' (showing its newest part)' : ''}
                </p>
              )}
              {log.text ? (
                <pre className="log-text" tabIndex={0} aria-label="Log text">
                  {log.text}
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

/** A job of an earlier run (or of this run without live data): its recorded outcome. */
function RecordView({ record }: { record: JobRecord }) {
  const navigate = useUi((s) => s.navigate);
  const elapsed = workSeconds(record);
  const stale = isActive(record.state);
  return (
    <div className="screen screen-job">
      <header className="screen-header">
        <p className="eyebrow">{record.providerLabel}</p>
        <h1>{record.title}</h1>
        <p className="muted">
          Started {formatTimestamp(record.startedAt)} · <span className={stateBadge(record).className}>{stale ? 'Interrupted' : stateBadge(record).label}</span>
        </p>
          {record.route && <p className="muted job-route">{routeText(record.route)}</p>}
      </header>
      {stale ? (
        <section className="card result result-failed" aria-labelledby="result-heading">
          <div className="result-head">
            <span className="result-icon">
              <Icon name="x" size={20} />
            </span>
            <div>
              <h2 id="result-heading">Interrupted</h2>
              <p className="result-summary">Cutover closed while this migration was running. {record.docs ? `${plural(record.docs, 'document')} had been processed.` : ''}</p>
            </div>
          </div>
        </section>
      ) : (
        <ResultPanel job={record} elapsed={elapsed} />
      )}
      <LogSection jobId={record.jobId} />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => navigate({ name: 'history' })}>
          History
        </button>
        {record.canRerun && <RerunButton jobId={record.jobId} state={stale ? 'failed' : record.state} />}
      </div>
    </div>
  );
}

/**
 * A plan: the provider's questions in a panel of the page (not modals over an empty progress page).
 * Nothing runs yet: no Pause, and giving up leaves nothing in History.
 */
function PlanningView({ job }: { job: JobSnapshot }) {
  const prompt = usePrompts((s) => s.queue.find((p) => p.jobId === job.jobId));
  const cancelling = useJobs((s) => !!s.cancelling[job.jobId]);
  const cancel = useJobs((s) => s.cancel);
  return (
    <div className="screen screen-plan">
      <header className="screen-header screen-header-row">
        <div>
          <p className="eyebrow">{job.providerLabel}</p>
          <h1>{job.title}</h1>
          <p className="muted">
            <span className="state state-planning">Planning</span> · nothing has started yet
          </p>
        </div>
        <div className="header-actions">
          <button type="button" className="button button-danger-quiet" onClick={() => void cancel(job.jobId)} disabled={cancelling}>
            {cancelling ? 'Stopping…' : 'Cancel plan'}
          </button>
        </div>
      </header>
      {job.waitingFor && (
        <p className="alert alert-info" role="status" data-testid="host-question">
          Waiting for you: {job.waitingFor}
        </p>
      )}
      {prompt ? (
        <PromptPanel prompt={prompt} inline />
      ) : (
        !job.waitingFor && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> {job.phase ? `${job.phase}…` : 'Preparing the plan…'}
          </p>
        )
      )}
      <Messages job={job} />
    </div>
  );
}
