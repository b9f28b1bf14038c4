/** A job of this run: its header (Pause, Cancel), planning, progress figures, items, messages, result and log. */
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { isActive, overallPercent, routeText, useJobs, workSeconds } from '../../store/jobs';
import { useUi } from '../../store/ui';
import { useMigrate } from '../../store/migrate';
import { ProgressBar } from '../../components/ProgressBar';
import { formatDuration, formatRate, formatTimestamp, plural } from '../../format';
import { Button } from '../../components/Button';
import { DialogActions } from '../../components/DialogActions';
import { bytesText, docsText, stateBadge, useNow } from './shared';
import { PhaseStepper } from './PhaseStepper';
import { ItemRows } from './ItemRows';
import { Messages } from './Messages';
import { ResultPanel } from './ResultPanel';
import { RerunButton } from './RerunButton';
import { LogSection } from './LogSection';
import { PlanningView } from './PlanningView';

export function LiveJobView({ jobId }: { jobId: string }) {
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
            Started {formatTimestamp(job.startedAt)} ·{' '}
            <span className={stateBadge(job).className}>{stateBadge(job).label}</span>
          </p>
          {job.route && <p className="muted job-route">{routeText(job.route)}</p>}
        </div>
        {active && (
          <div className="header-actions">
            <Button
              disabled={pausing || cancelling}
              onClick={async () => {
                setPausing(true);
                setPauseError(await setPaused(job.jobId, job.state === 'running'));
                setPausing(false);
              }}
            >
              {job.state === 'paused' ? 'Resume' : 'Pause'}
            </Button>
            <Button
              variant="danger-quiet"
              onClick={() => (job.docs > 0 ? setConfirmCancel(true) : void cancel(job.jobId))}
              disabled={cancelling}
            >
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </Button>
          </div>
        )}
      </header>
      {confirmCancel && active && (
        // Once documents are written, stopping is asked first (the job stays resumable from History).
        <Dialog title="Stop this job?" tone="danger" onDismiss={() => setConfirmCancel(false)}>
          <p className="dialog-text">
            {plural(job.docs, 'document')} {job.docs === 1 ? 'has' : 'have'} been written so far. They stay where they
            are; you can resume from History.
          </p>
          <DialogActions>
            <Button data-autofocus onClick={() => setConfirmCancel(false)}>
              Keep going
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                setConfirmCancel(false);
                void cancel(job.jobId);
              }}
            >
              Stop the job
            </Button>
          </DialogActions>
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
          tone={
            job.state === 'failed'
              ? 'danger'
              : job.state === 'cancelled'
                ? 'muted'
                : job.state === 'succeeded'
                  ? job.attention
                    ? 'muted'
                    : 'success'
                  : 'default'
          }
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
              <dd>
                {job.stalled
                  ? 'unknown'
                  : job.etaSeconds !== undefined
                    ? formatDuration(job.etaSeconds)
                    : 'estimating…'}
              </dd>
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
          <Button onClick={() => navigate({ name: 'history' })}>History</Button>
          {job.canRerun && <RerunButton jobId={job.jobId} state={job.state} />}
          <Button variant="primary" onClick={() => void begin()}>
            New migration…
          </Button>
        </div>
      )}
    </div>
  );
}
