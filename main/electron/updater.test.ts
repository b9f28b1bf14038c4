/** How the desktop app installs updates, and when updates are off. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopUpdates, installKind } from './updater';

describe('desktop updater', () => {
  it('a .deb install is updated by downloading the new package; AppImage, Windows and macOS in place', () => {
    const resources = mkdtempSync(path.join(os.tmpdir(), 'cutover-resources-'));
    writeFileSync(path.join(resources, 'package-type'), 'deb');
    expect(installKind({ isPackaged: true, platform: 'linux', env: {}, resourcesPath: resources })).toBe('download');
    expect(
      installKind({
        isPackaged: true,
        platform: 'linux',
        env: { APPIMAGE: '/home/a/Cutover.AppImage' },
        resourcesPath: resources,
      }),
    ).toBe('in-place');
    expect(installKind({ isPackaged: true, platform: 'win32', env: {}, resourcesPath: resources })).toBe('in-place');
    expect(installKind({ isPackaged: true, platform: 'linux', env: {}, resourcesPath: os.tmpdir() })).toBe('in-place');
  });

  it('is off when an administrator says so, and when running from the sources', () => {
    expect(desktopUpdates({ isPackaged: true, platform: 'linux', env: { CUTOVER_DISABLE_UPDATES: '1' } })).toEqual({
      install: 'in-place',
      disabledReason: 'Updates are turned off on this computer (CUTOVER_DISABLE_UPDATES).',
    });
    expect(desktopUpdates({ isPackaged: false, platform: 'linux', env: {} }).disabledReason).toMatch(
      /installed copies/,
    );
  });
});
