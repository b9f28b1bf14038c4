/**
 * Where Cutover keeps its data (job records, logs, keys) when Electron is not there to say:
 * the same folder Electron's `app.getPath('userData')` gives for an app named Cutover.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';

export { defaultDataDir } from '../../providers/api/data-dir';

/**
 * Creates the data folder readable by its owner only (0700), and narrows an existing one that is wider
 * (Electron creates userData 0755): it holds sealed secrets, the key file, job logs and rejected rows.
 * Windows has no such mode bits: there the folder keeps the ACLs of the user's profile.
 */
export function ensurePrivateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const { mode, uid } = statSync(dir);
  if ((mode & 0o077) !== 0 && (typeof process.getuid !== 'function' || uid === process.getuid()))
    chmodSync(dir, mode & 0o700);
}
