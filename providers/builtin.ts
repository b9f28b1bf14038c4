/** The providers that ship with Cutover. */
import type { MigrationProvider } from './api/index';
import { createMongoCopyProvider } from './mongo-copy/index';
import { createFilesProvider } from './files/index';
import { createVersiaProvider } from './versia/index';
import { createRelationalProvider } from './relational/index';

export function builtinProviders(): MigrationProvider[] {
  return [createMongoCopyProvider(), createFilesProvider(), createVersiaProvider(), createRelationalProvider()];
}
