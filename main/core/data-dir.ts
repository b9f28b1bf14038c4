/**
 * Where Cutover keeps its data (job records, logs, keys) when Electron is not there to say:
 * the same folder Electron's `app.getPath('userData')` gives for an app named Cutover.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CUTOVER_DATA_DIR) return env.CUTOVER_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Cutover');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Cutover');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Cutover');
}

/**
 * Creates the data folder readable by its owner only (0700), and narrows an existing one that is wider
 * (Electron creates userData 0755): it holds sealed secrets, the key file, job logs and rejected rows.
 * Windows has no such mode bits: there the folder keeps the ACLs of the user's profile.
 */
export function ensurePrivateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const { mode, uid } = statSync(dir);
  if ((mode & 0o077) !== 0 && (typeof process.getuid !== 'function' || uid === process.getuid())) chmodSync(dir, mode & 0o700);
}
