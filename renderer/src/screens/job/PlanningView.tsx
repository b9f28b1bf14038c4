/** A plan still asking its questions, in a panel of the page. */
import { usePrompts } from '../../store/prompts';
import { PromptPanel } from '../../components/PromptDialog';
import type { JobSnapshot } from '../../../../preload/contract';
import { useJobs } from '../../store/jobs';
import { Button } from '../../components/Button';
import { Messages } from './Messages';

/**
 * A plan: the provider's questions in a panel of the page (not modals over an empty progress page).
 * Nothing runs yet: no Pause, and giving up leaves nothing in History.
 */
export function PlanningView({ job }: { job: JobSnapshot }) {
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
          <Button variant="danger-quiet" onClick={() => void cancel(job.jobId)} disabled={cancelling}>
            {cancelling ? 'Stopping…' : 'Cancel plan'}
          </Button>
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
