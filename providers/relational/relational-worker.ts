/** Worker thread entry of the relational → MongoDB job: its body (./relational-job.ts), off the main thread. */
import { relationalJob } from './relational-job';
import { serveWorkerJob } from '../shared/worker-job';

await serveWorkerJob('relational-worker', relationalJob);
