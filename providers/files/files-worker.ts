/** Worker thread entry of the files provider: its job body (./files-job.ts), off the main thread. */
import { filesJob } from './files-job';
import { serveWorkerJob } from '../shared/worker-job';

await serveWorkerJob('files-worker', filesJob);
