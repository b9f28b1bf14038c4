/**
 * The built-in providers (./builtin.ts), each loaded only when it is needed: a command-line copy then
 * loads neither the PostgreSQL / MySQL drivers nor the files readers nor Versia's client. Start-up is
 * most of a short job's time (issue 14), and every module loaded is CPU spent before the first document.
 */
import type { MigrationProvider } from './api/index';
import { placeJobs, type JobPlacement } from './shared/worker-job';

/**
 * `dataDir`: the host's data folder, where the files provider keeps its error logs (as in ./builtin.ts).
 * `jobs`: where the built-ins run their jobs in this process (providers/shared/worker-job.ts): in worker
 * threads (the default: the desktop app's main process must stay responsive), or in this thread (the
 * command line, which has nothing else to do and saves a second isolate).
 */
type BuiltinOptions = { dataDir?: string; jobs?: JobPlacement };

const LOADERS: Record<string, (options: BuiltinOptions) => Promise<MigrationProvider>> = {
  'mongodb-copy': async () => (await import('./mongo-copy/index')).createMongoCopyProvider(),
  files: async ({ dataDir }) => (await import('./files/index')).createFilesProvider({ dataDir }),
  'versia-migration': async () => (await import('./versia/index')).createVersiaProvider(),
  relational: async () => (await import('./relational/index')).createRelationalProvider(),
};

/** The built-in provider with this id, loaded on its own; undefined when no built-in has that id. */
export async function loadBuiltinProvider(
  id: string,
  options: BuiltinOptions = {},
): Promise<MigrationProvider | undefined> {
  if (options.jobs) placeJobs(options.jobs);
  return LOADERS[id]?.(options);
}

/** Every built-in provider (for commands that list or re-run jobs of any provider). */
export async function loadBuiltinProviders(options: BuiltinOptions = {}): Promise<MigrationProvider[]> {
  if (options.jobs) placeJobs(options.jobs);
  return (await import('./builtin')).builtinProviders(options);
}

/** The ids the loaders know (a test keeps them the same as ./builtin.ts's list). */
export const BUILTIN_PROVIDER_IDS: readonly string[] = Object.keys(LOADERS);
