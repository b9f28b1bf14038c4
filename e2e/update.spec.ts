/**
 * Updates in the window (browser harness started with a test update server): the notice "Cutover 0.2.0 is
 * available" with its release notes, the download, and "Restart to update", which asks first while a job
 * runs; the Settings screen (automatic checks, channel) kept in the data folder; a .deb install offers
 * "Download" (the release page) instead of installing in place.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationProvider } from '../providers/api/index';
import { builtinProviders } from '../providers/builtin';
import { startHarness, type Harness } from '../main/harness/server';
import { createNodeUpdater, nodeAppAdapter } from '../main/core/update/node-updater';
import { startTestUpdateServer, type TestUpdateServer } from '../main/core/update/test-update-server';
import { test as base, expect } from './fixtures';

/** A job that runs until it is cancelled (what "a job is running" needs, without a database). */
const waitingProvider: MigrationProvider = {
  id: 'e2e-wait',
  label: 'Waiting job',
  description: 'Runs until cancelled',
  appliesTo: ['mongodb'],
  getAvailableActions: async () => [],
  executeAction: async (_context, _action, host) => {
    host.progress.setPhases(['Waiting']);
    host.progress.phase('Waiting');
    await new Promise<void>((resolve) => {
      if (host.cancellation.isCancellationRequested) resolve();
      else host.cancellation.onCancellationRequested(() => resolve());
    });
    return { outcome: 'cancelled', summary: 'Stopped for the update' };
  },
};

const test = base.extend<{ updateServer: TestUpdateServer; install: 'in-place' | 'download'; opened: string[] }>({
  install: ['in-place', { option: true }],
  opened: async ({}, use) => use([]),
  updateServer: async ({}, use) => {
    const server = await startTestUpdateServer({
      latest: { version: '0.2.0', notes: 'Copies resume where they stopped.\nA Settings screen.' },
    });
    await use(server);
    await server.stop();
  },
  harness: async ({ dataDir, updateServer, install, opened }, use) => {
    const updater = createNodeUpdater(
      updateServer.url,
      nodeAppAdapter({
        name: 'Cutover',
        version: '0.1.0',
        userDataPath: path.join(dataDir, 'updater'),
        baseCachePath: path.join(dataDir, 'cache'),
      }),
    );
    const harness: Harness = await startHarness({
      coreOptions: {
        dataDir,
        providers: [...builtinProviders(), waitingProvider],
        openExternal: async (url) => void opened.push(url),
        updates: { updater: updater as never, install, releasePageUrl: 'https://cutover.app/download' },
      },
    });
    try {
      await use(harness);
    } finally {
      await harness.stop();
    }
  },
});

test.describe('updates', () => {
  test('the notice shows the new version and its notes; restarting with a job running asks first', async ({
    page,
    harness,
    snap,
  }) => {
    const notice = page.getByTestId('update-notice');
    await expect(notice).toContainText('Cutover 0.2.0 is available');
    await notice.getByText('Release notes').click();
    await expect(notice.getByTestId('release-notes')).toHaveText(
      'Copies resume where they stopped.\nA Settings screen.',
    );
    // Automatic checks are on by default: the update downloads by itself (sha512 checked), then waits.
    await expect(notice.getByRole('button', { name: 'Restart to update' })).toBeVisible({ timeout: 30_000 });

    const jobId = harness!.core.runner.start(
      waitingProvider,
      undefined,
      { authenticated: false, extendedProperties: {} },
      'Waiting job',
    );
    await expect(page.getByRole('list', { name: 'Running jobs' })).toContainText('Waiting job');
    await snap('ready');

    await notice.getByRole('button', { name: 'Restart to update' }).click();
    const ask = page.getByRole('dialog', { name: 'Restart to update?' });
    await expect(ask).toContainText('A job is still running.');
    await snap('asks');
    await ask.getByRole('button', { name: 'Keep running' }).click();
    await expect(ask).toHaveCount(0);
    expect(harness!.core.runner.list().find((job) => job.jobId === jobId)?.state).toBe('running');

    await notice.getByRole('button', { name: 'Restart to update' }).click();
    await page
      .getByRole('dialog', { name: 'Restart to update?' })
      .getByRole('button', { name: 'Stop and restart' })
      .click();
    await expect(notice).toContainText('restarting…');
    expect(harness!.core.runner.list().find((job) => job.jobId === jobId)?.state).toBe('cancelled');
  });

  test('Settings: automatic checks and the channel are kept in the data folder; Check now says where the update is', async ({
    page,
    dataDir,
    updateServer,
  }) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const automatic = page.getByLabel('Check for updates automatically');
    await expect(automatic).toBeChecked();
    await automatic.uncheck();
    await page.getByLabel('Channel').selectOption('beta');
    await expect
      .poll(() => JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')))
      .toEqual({ updates: { automatic: false, channel: 'beta' } });
    // The start-up check found 0.2.0 and downloaded it; checking again keeps it (nothing is lost).
    await expect(page.getByTestId('update-notice').getByRole('button', { name: 'Restart to update' })).toBeVisible({
      timeout: 30_000,
    });
    await page.getByRole('button', { name: 'Check now' }).click();
    await expect(page.getByTestId('update-status')).toContainText('Cutover 0.2.0 is downloaded: restart to update.');
    expect(updateServer.requests).toContain('/latest-linux.yml');
  });
});

test.describe('updates on a .deb install', () => {
  test.use({ install: 'download' });

  test('the notice offers Download, which opens the release page, and nothing is downloaded', async ({
    page,
    opened,
    updateServer,
  }) => {
    const notice = page.getByTestId('update-notice');
    await expect(notice).toContainText('Cutover 0.2.0 is available');
    await expect(notice.getByRole('button', { name: 'Restart to update' })).toHaveCount(0);
    await notice.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => opened).toEqual(['https://cutover.app/download']);
    expect(updateServer.requests).not.toContain('/cutover_0.2.0_amd64.deb');
  });
});
