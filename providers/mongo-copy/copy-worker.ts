/** Worker thread entry of the MongoDB copy: its job body (./copy-job.ts), off the main thread. */
import { copyJob } from './copy-job';
import { serveWorkerJob } from '../shared/worker-job';

await serveWorkerJob('copy-worker', copyJob);
