/** A job: its plan (planning panel), live progress and result, or the recorded outcome of an earlier run. */
import { useJobs } from '../../store/jobs';
import { LiveJobView } from './LiveJobView';
import { RecordView } from './RecordView';

export function JobScreen({ jobId }: { jobId: string }) {
  const live = useJobs((s) => s.jobs[jobId]);
  const record = useJobs((s) => s.records[jobId]);
  if (!live && record) return <RecordView record={record} />;
  return <LiveJobView jobId={jobId} />;
}
