/** A job's errors and warnings, each under a heading that counts them. */
import type { JobSnapshot } from '../../../../preload/contract';
import { Icon } from '../../components/Icon';
import { plural } from '../../format';

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

export function Messages({ job }: { job: JobSnapshot }) {
  if (!job.warnings.length && !job.errors.length && !job.droppedMessages) return null;
  return (
    <section className="card messages" aria-label="Warnings and errors">
      <MessageList kind="error" messages={job.errors} />
      <MessageList kind="warning" messages={job.warnings} />
      {job.droppedMessages > 0 && (
        <p className="muted">
          {plural(job.droppedMessages, 'more message')} not shown here: all of them are in the job log.
        </p>
      )}
    </section>
  );
}
