/** The providers that ship with Cutover. */
import type { MigrationProvider } from './api/index';
import { createMongoCopyProvider } from './mongo-copy/index';
import { createFilesProvider } from './files/index';
import { createVersiaProvider } from './versia/index';
import { createRelationalProvider } from './relational/index';

/** `dataDir`: the host's data folder, where the files provider keeps its error logs (default: Cutover's own). */
export function builtinProviders(options: { dataDir?: string } = {}): MigrationProvider[] {
  return [
    createMongoCopyProvider(),
    createFilesProvider({ dataDir: options.dataDir }),
    createVersiaProvider(),
    createRelationalProvider(),
  ];
}
