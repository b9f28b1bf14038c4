/**
 * The built-in providers for the command line, each loaded only when a command needs it: a copy then
 * loads neither the PostgreSQL / MySQL drivers nor the files readers nor Versia's client. Start-up is
 * most of a short job's time (issue 14), and every module loaded is CPU spent before the first document.
 */
import type { MigrationProvider } from '../../providers/api/index';

const LOADERS: Record<string, () => Promise<MigrationProvider>> = {
  'mongodb-copy': async () => (await import('../../providers/mongo-copy/index')).createMongoCopyProvider(),
  files: async () => (await import('../../providers/files/index')).createFilesProvider(),
  'versia-migration': async () => (await import('../../providers/versia/index')).createVersiaProvider(),
  relational: async () => (await import('../../providers/relational/index')).createRelationalProvider(),
};

/** The built-in provider with this id, loaded on its own. */
export async function loadBuiltinProvider(id: string): Promise<MigrationProvider> {
  const load = LOADERS[id];
  if (!load) throw new Error(`No built-in provider "${id}".`);
  return load();
}

/** Every built-in provider (for commands that list or re-run jobs of any provider). */
export async function loadBuiltinProviders(): Promise<MigrationProvider[]> {
  return (await import('../../providers/builtin')).builtinProviders();
}
