/** A finished job's result: heading, summary, figures and longer findings. */
import { useState } from 'react';
import type { JobSnapshot } from '../../../../preload/contract';
import { resultHeading } from '../../store/jobs';
import { Icon } from '../../components/Icon';
import { formatCount, formatDuration } from '../../format';
import { docsText } from './shared';
import { Button } from '../../components/Button';

type ResultData = Pick<
  JobSnapshot,
  'state' | 'title' | 'summary' | 'stats' | 'details' | 'docs' | 'attention' | 'heading'
> & { totalDocs?: number };

export function ResultPanel({ job, elapsed }: { job: ResultData; elapsed: number | undefined }) {
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
          {!job.summary && docs && (
            <p className="result-summary">
              {job.state === 'succeeded' ? `${docs} processed.` : `Stopped after ${docs}.`}
            </p>
          )}
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
      {job.details?.map((section, index) => (
        <DetailSection key={`${section.title}-${index}`} title={section.title} items={section.items} />
      ))}
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
        <Button variant="link" onClick={() => setAll(true)}>
          Show all {formatCount(items.length)}
        </Button>
      )}
    </div>
  );
}
