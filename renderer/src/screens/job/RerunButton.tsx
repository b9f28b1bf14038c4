/** Resume / Run again for a recorded job. */
import { useState } from 'react';
import type { JobSnapshot } from '../../../../preload/contract';
import { messageOf } from '../../api';
import { useJobs } from '../../store/jobs';
import { useUi } from '../../store/ui';
import { Button } from '../../components/Button';

/** Runs a recorded job again with the same parameters (an unfinished copy resumes where it stopped). */
export function RerunButton({ jobId, state }: { jobId: string; state: JobSnapshot['state'] }) {
  const rerun = useJobs((s) => s.rerun);
  const navigate = useUi((s) => s.navigate);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const label = state === 'succeeded' ? 'Run again' : 'Resume';
  return (
    <>
      <Button
        disabled={busy}
        title={
          state === 'succeeded'
            ? 'Run this migration again with the same settings'
            : 'Run it again with the same settings: it continues where it stopped'
        }
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
      </Button>
      {error && (
        <p className="alert alert-error" role="alert">
          Could not start it again: {error}
        </p>
      )}
    </>
  );
}
