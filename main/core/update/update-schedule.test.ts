/**
 * When the UpdateService checks by itself: at start and every 4 hours while automatic checks are on;
 * later and later while offline-looking errors repeat; never once they are turned off. The updater here
 * is a scripted stand-in for electron-updater (its answers are what this test is about); time is faked.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../../preload/contract';
import { UpdateService, type UpdaterLike } from './update-service';

const HOUR = 3_600_000;

function scriptedUpdater(answer: () => Promise<unknown>) {
  const updater = Object.assign(new EventEmitter(), {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: false,
    channel: null as string | null,
    currentVersion: { version: '0.1.0', prerelease: [] as string[] },
    checks: 0,
    checkForUpdates: async () => {
      updater.checks++;
      return answer();
    },
    downloadUpdate: async () => [],
    quitAndInstall: () => undefined,
  });
  return updater;
}

describe('automatic update checks', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('check at start and every 4 hours; turned off, they stop', async () => {
    const settings: Settings = { updates: { automatic: true, channel: 'stable' } };
    const updater = scriptedUpdater(async () => ({ isUpdateAvailable: false, updateInfo: { version: '0.1.0' } }));
    const service = new UpdateService({
      updater: updater as unknown as UpdaterLike,
      install: 'in-place',
      settings: async () => settings,
      onChange: () => undefined,
    });
    await service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(updater.checks).toBe(1);
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    await vi.advanceTimersByTimeAsync(4 * HOUR - 1000);
    expect(updater.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(updater.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(4 * HOUR);
    expect(updater.checks).toBe(3);

    settings.updates.automatic = false;
    await service.applySettings();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(updater.checks).toBe(3);
    service.stop();
  });

  it('while offline-looking errors repeat, the next check waits 8, then 16, then 24 hours', async () => {
    const updater = scriptedUpdater(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND updates.cutover.app'), { code: 'ENOTFOUND' });
    });
    const service = new UpdateService({
      updater: updater as unknown as UpdaterLike,
      install: 'in-place',
      settings: async () => ({ updates: { automatic: true, channel: 'stable' } }),
      onChange: () => undefined,
    });
    await service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(updater.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(4 * HOUR);
    expect(updater.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(8 * HOUR - 1000);
    expect(updater.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(updater.checks).toBe(3);
    await vi.advanceTimersByTimeAsync(16 * HOUR);
    expect(updater.checks).toBe(4);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(updater.checks).toBe(5);
    expect(service.state()).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/^Cutover could not reach the update server/),
    });
    service.stop();
  });
});
