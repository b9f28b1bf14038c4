/** The provider's phases as steps: done, current, to come. */
import type { JobSnapshot } from '../../../../preload/contract';
import { isActive } from '../../store/jobs';
import { Icon } from '../../components/Icon';

export function PhaseStepper({ job }: { job: JobSnapshot }) {
  const current = job.phase ? job.phases.indexOf(job.phase) : -1;
  const finished = job.state === 'succeeded';
  return (
    <ol className="stepper" aria-label="Phases">
      {job.phases.map((phase, index) => {
        const done = finished || (current >= 0 && index < current);
        const now = !finished && index === current;
        const status = done
          ? 'done'
          : now
            ? isActive(job.state)
              ? 'current'
              : job.state === 'failed'
                ? 'failed'
                : 'stopped'
            : 'todo';
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
