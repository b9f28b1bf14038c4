/**
 * The desktop app's updater: electron-updater's own choice of class for this install (AppImage, .deb,
 * NSIS, macOS), configured from the app-update.yml that electron-builder built in (`publish` in
 * electron-builder.yml). A .deb install is not replaced in place: the person is offered the release page.
 * CUTOVER_DISABLE_UPDATES=1 turns updates off (administrators); CUTOVER_UPDATE_URL points at a test server.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import electronUpdater from 'electron-updater';
import type { CoreUpdateOptions } from '../core/app-core';
import type { UpdaterLike } from '../core/update/update-service';

export interface UpdaterEnvironment {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  resourcesPath?: string;
}

/** How updates install here: in place (AppImage, Windows, macOS) or by downloading a new package (.deb, .rpm). */
export function installKind({ platform, env, resourcesPath }: UpdaterEnvironment): 'in-place' | 'download' {
  if (platform !== 'linux' || env.APPIMAGE) return 'in-place';
  const typeFile = resourcesPath ? path.join(resourcesPath, 'package-type') : undefined;
  return typeFile && existsSync(typeFile) && readFileSync(typeFile, 'utf8').trim() !== '' ? 'download' : 'in-place';
}

export function desktopUpdates(environment: UpdaterEnvironment): CoreUpdateOptions {
  const { env } = environment;
  const install = installKind(environment);
  if (env.CUTOVER_DISABLE_UPDATES === '1')
    return { install, disabledReason: 'Updates are turned off on this computer (CUTOVER_DISABLE_UPDATES).' };
  const testUrl = env.CUTOVER_UPDATE_URL;
  if (!environment.isPackaged && !testUrl)
    return { install, disabledReason: 'Updates apply to installed copies of Cutover; this one runs from its sources.' };
  const updater = electronUpdater.autoUpdater;
  updater.logger = null;
  if (testUrl) {
    updater.setFeedURL({ provider: 'generic', url: testUrl });
    if (!environment.isPackaged) updater.forceDevUpdateConfig = true;
  }
  return { updater: updater as unknown as UpdaterLike, install };
}
