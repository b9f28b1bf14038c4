/**
 * "Verified migration", as the extension defines it: the destination user's `previous` resolves to the
 * author. A completed one also has the old user's `new` pointing at the destination. Both Users are read
 * with signed GETs whose signatures are checked.
 */
import { MIGRATION_EXTENSION, sameReference, type FederationClient } from './protocol/index';

export interface MigrationVerdict {
  /** The destination names the old account as `previous`. */
  verified: boolean;
  /** The old account names the destination as `new`. */
  completed: boolean;
  oldNew?: string;
  newPrevious?: string;
  findings: string[];
}

export async function verifyMigration(
  client: FederationClient,
  oldRef: string,
  newRef: string,
): Promise<MigrationVerdict> {
  const [oldUser, newUser] = await Promise.all([client.user(oldRef), client.user(newRef)]);
  const oldNew = oldUser.extensions?.[MIGRATION_EXTENSION]?.new ?? undefined;
  const newPrevious = newUser.extensions?.[MIGRATION_EXTENSION]?.previous ?? undefined;
  const verified = sameReference(newPrevious, oldRef);
  const completed = sameReference(oldNew, newRef);
  const findings = [
    verified
      ? `${newRef} names ${oldRef} as previous (signature checked).`
      : `${newRef} ${newPrevious ? `names ${newPrevious}` : 'names no account'} as previous, not ${oldRef}.`,
    completed
      ? `${oldRef} names ${newRef} as new (signature checked).`
      : `${oldRef} ${oldNew ? `names ${oldNew}` : 'names no account'} as new, not ${newRef}.`,
  ];
  return { verified, completed, oldNew, newPrevious, findings };
}
