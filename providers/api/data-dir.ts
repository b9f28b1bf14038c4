/**
 * Where Cutover keeps its data (job records, logs, keys) when Electron is not there to say: the same
 * folder Electron's `app.getPath('userData')` gives for an app named Cutover. Shared by the host and the
 * built-in providers (not part of the SDK's public exports: installed providers get `host.dataDir`).
 */
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CUTOVER_DATA_DIR) return env.CUTOVER_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Cutover');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Cutover');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Cutover');
}
