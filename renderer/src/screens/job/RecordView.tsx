/** A job of an earlier run: its recorded outcome, Resume / Run again, and its log. */
import type { JobRecord } from '../../../../preload/contract';
import { isActive, routeText, workSeconds } from '../../store/jobs';
import { useUi } from '../../store/ui';
import { Icon } from '../../components/Icon';
import { formatTimestamp, plural } from '../../format';
import { Button } from '../../components/Button';
import { stateBadge } from './shared';
import { ResultPanel } from './ResultPanel';
import { RerunButton } from './RerunButton';
import { LogSection } from './LogSection';

/** A job of an earlier run (or of this run without live data): its recorded outcome. */
export function RecordView({ record }: { record: JobRecord }) {
  const navigate = useUi((s) => s.navigate);
  const elapsed = workSeconds(record);
  const stale = isActive(record.state);
  return (
    <div className="screen screen-job">
      <header className="screen-header">
        <p className="eyebrow">{record.providerLabel}</p>
        <h1>{record.title}</h1>
        <p className="muted">
          Started {formatTimestamp(record.startedAt)} ·{' '}
          <span className={stateBadge(record).className}>{stale ? 'Interrupted' : stateBadge(record).label}</span>
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
              <p className="result-summary">
                Cutover closed while this migration was running.{' '}
                {record.docs ? `${plural(record.docs, 'document')} had been processed.` : ''}
              </p>
            </div>
          </div>
        </section>
      ) : (
        <ResultPanel job={record} elapsed={elapsed} />
      )}
      <LogSection jobId={record.jobId} />
      <div className="form-actions">
        <Button onClick={() => navigate({ name: 'history' })}>History</Button>
        {record.canRerun && <RerunButton jobId={record.jobId} state={stale ? 'failed' : record.state} />}
      </div>
    </div>
  );
}
