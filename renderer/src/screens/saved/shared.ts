/** What the saved connections screen and its dialogs share. */
import type { SavedConnection } from '../../../../preload/contract';

export const KIND_LABEL = {
  mongodb: 'MongoDB',
  postgres: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
  versia: 'Versia',
  file: 'File',
} as const;

export type Editing = { mode: 'add' } | { mode: 'edit'; connection: SavedConnection } | undefined;
