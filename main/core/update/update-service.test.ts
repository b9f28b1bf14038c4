/**
 * The UpdateService driving electron-updater's real classes (DebUpdater, GenericProvider, the download
 * helper with its sha512 check, ElectronHttpExecutor) against a loopback generic update server that
 * serves generated channel files. The app adapter is injected; `electron` is a stand-in whose `net.request`
 * is node:http (installed in Node's module cache, so electron-updater's own lookup of the electron module gets it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Settings, UpdateState } from '../../../preload/contract';
import { isOfflineLooking, nextCheckDelay, UpdateService, type UpdaterLike } from './update-service';
import { createNodeUpdater, nodeAppAdapter } from './node-updater';
import { startTestUpdateServer, type TestRelease, type TestUpdateServer } from './test-update-server';

const require = createRequire(import.meta.url);

// --- electron, as electron-updater sees it: net.request over node:http, a session per partition.
const electronPath = require.resolve('electron');
const previous = require.cache[electronPath];
const standIn = {
  net: {
    request: (options: http.RequestOptions & { protocol?: string }) =>
      (options.protocol === 'https:' ? https : http).request(options),
  },
  session: { fromPartition: () => ({}) },
};
require.cache[electronPath] = {
  id: electronPath,
  filename: electronPath,
  loaded: true,
  exports: standIn,
  children: [],
  paths: [],
} as never;
const { DebUpdater } = require('electron-updater') as typeof import('electron-updater');
const { ElectronHttpExecutor } = require('electron-updater/out/electronHttpExecutor') as {
  ElectronHttpExecutor: new () => unknown;
};

const dirs: string[] = [];
const servers: TestUpdateServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
afterAll(() => {
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  if (previous) require.cache[electronPath] = previous;
  else delete require.cache[electronPath];
});

/** A loopback generic update server, stopped after each test. */
async function updateServer(channels: Record<string, TestRelease>): Promise<TestUpdateServer> {
  const server = await startTestUpdateServer(channels);
  servers.push(server);
  return server;
}

function setUp(options: {
  url: string;
  version: string;
  channel?: Settings['updates']['channel'];
  updaterId?: string;
}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cutover-update-'));
  dirs.push(dir);
  if (options.updaterId) writeFileSync(path.join(dir, '.updaterId'), options.updaterId);
  // electron-updater's DebUpdater with the injected app adapter and its Electron HTTP executor.
  const updater = createNodeUpdater(
    options.url,
    nodeAppAdapter({
      name: 'Cutover',
      version: options.version,
      userDataPath: dir,
      baseCachePath: path.join(dir, 'cache'),
    }),
    new ElectronHttpExecutor(),
  );
  expect(updater).toBeInstanceOf(DebUpdater);
  const settings: Settings = { updates: { automatic: false, channel: options.channel ?? 'stable' } };
  const states: UpdateState[] = [];
  const service = new UpdateService({
    updater: updater as unknown as UpdaterLike,
    install: 'in-place',
    settings: async () => settings,
    onChange: (state) => states.push(state),
  });
  return { service, updater, settings, states };
}

describe('UpdateService with electron-updater against a generic update server', () => {
  it('offers a newer version with its release notes, downloads it with progress and is ready to restart', async () => {
    const server = await updateServer({
      latest: { version: '0.2.0', notes: 'Copies resume after a crash.\nFaster imports.' },
    });
    const { service, states } = setUp({ url: server.url, version: '0.1.0' });
    await service.applySettings();
    const offered = await service.check();
    expect(offered).toMatchObject({
      state: 'available',
      version: '0.2.0',
      releaseNotes: 'Copies resume after a crash.\nFaster imports.',
      install: 'in-place',
    });
    expect(states[0]).toEqual({ state: 'checking' });
    const ready = await service.download();
    expect(ready).toMatchObject({ state: 'ready', version: '0.2.0' });
    expect(states.some((s) => s.state === 'downloading')).toBe(true);
    expect(server.requests).toContain('/cutover_0.2.0_amd64.deb');
  });

  it('refuses a download whose sha512 does not match the channel file, clearly', async () => {
    const server = await updateServer({ latest: { version: '0.2.0', claimed: Buffer.from('some other package') } });
    const { service } = setUp({ url: server.url, version: '0.1.0' });
    await service.applySettings();
    expect(await service.check()).toMatchObject({ state: 'available', version: '0.2.0' });
    const refused = await service.download();
    expect(refused.state).toBe('error');
    expect(refused.state === 'error' && refused.message).toMatch(
      /^The downloaded update does not match its sha512 checksum, so it was refused and nothing was installed/,
    );
  });

  it('honours stagingPercentage: a user outside the rollout is not offered the version, one inside is', async () => {
    const server = await updateServer({ latest: { version: '0.2.0', stagingPercentage: 50 } });
    // electron-updater places a user at (last 4 bytes of the staging id) / 0xffffffff.
    const outside = setUp({ url: server.url, version: '0.1.0', updaterId: '6f1c2d3e-4a5b-4c6d-8e7f-0000ffffffff' });
    await outside.service.applySettings();
    expect(await outside.service.check()).toMatchObject({ state: 'idle', upToDate: true });
    const inside = setUp({ url: server.url, version: '0.1.0', updaterId: '6f1c2d3e-4a5b-4c6d-8e7f-000000000010' });
    await inside.service.applySettings();
    expect(await inside.service.check()).toMatchObject({ state: 'available', version: '0.2.0' });
  });

  it('reads beta-linux.yml on the beta channel and latest-linux.yml on stable', async () => {
    const server = await updateServer({
      latest: { version: '0.1.5' },
      beta: { version: '0.2.0-beta.1', notes: 'Beta: Settings screen.' },
    });
    const beta = setUp({ url: server.url, version: '0.1.0', channel: 'beta' });
    await beta.service.applySettings();
    expect(await beta.service.check()).toMatchObject({
      state: 'available',
      version: '0.2.0-beta.1',
      releaseNotes: 'Beta: Settings screen.',
    });
    const stable = setUp({ url: server.url, version: '0.1.0', channel: 'stable' });
    await stable.service.applySettings();
    expect(await stable.service.check()).toMatchObject({ state: 'available', version: '0.1.5' });
    expect(server.requests).toEqual(expect.arrayContaining(['/beta-linux.yml', '/latest-linux.yml']));
  });

  it('says clearly when the channel file is missing', async () => {
    const server = await updateServer({ latest: { version: '0.2.0' } });
    const { service } = setUp({ url: server.url, version: '0.1.0', channel: 'beta' });
    await service.applySettings();
    expect(await service.check()).toEqual({
      state: 'error',
      message: 'The update server has no beta-linux.yml for the beta channel: no release is published there yet.',
    });
  });

  it('never offers an older version on the same channel, but does when going back to another channel', async () => {
    const server = await updateServer({ latest: { version: '0.1.0' }, beta: { version: '0.3.0-beta.1' } });
    const same = setUp({ url: server.url, version: '0.2.0', channel: 'stable' });
    await same.service.applySettings();
    expect(same.updater.allowDowngrade).toBe(false);
    expect(await same.service.check()).toMatchObject({ state: 'idle', upToDate: true });

    const olderBeta = setUp({ url: server.url, version: '0.3.0-beta.2', channel: 'beta' });
    await olderBeta.service.applySettings();
    expect(await olderBeta.service.check()).toMatchObject({ state: 'idle', upToDate: true });

    const leavingBeta = setUp({ url: server.url, version: '0.2.0-beta.3', channel: 'stable' });
    await leavingBeta.service.applySettings();
    expect(await leavingBeta.service.check()).toMatchObject({ state: 'available', version: '0.1.0' });
  });

  it('an unreachable server is an offline-looking error, and repeated ones push the next automatic check back', async () => {
    const { service } = setUp({ url: 'http://127.0.0.1:1/', version: '0.1.0' });
    await service.applySettings();
    const failed = await service.check();
    expect(failed.state === 'error' && failed.message).toMatch(
      /^Cutover could not reach the update server \(.*ECONNREFUSED.*\)\. It will try again later\.$/,
    );
    expect(
      isOfflineLooking(Object.assign(new Error('getaddrinfo ENOTFOUND updates.cutover.app'), { code: 'ENOTFOUND' })),
    ).toBe(true);
    expect(isOfflineLooking(new Error('net::ERR_INTERNET_DISCONNECTED'))).toBe(true);
    expect(isOfflineLooking(new Error('HttpError: 500 Internal Server Error'))).toBe(false);
    const hours = (n: number) => nextCheckDelay(n) / 3_600_000;
    expect([0, 1, 2, 3, 4, 5].map(hours)).toEqual([4, 4, 8, 16, 24, 24]);
  });

  it('is disabled, saying why, without an updater', async () => {
    const service = new UpdateService({
      install: 'in-place',
      disabledReason: 'Turned off by CUTOVER_DISABLE_UPDATES.',
      settings: async () => ({ updates: { automatic: true, channel: 'stable' } }),
      onChange: () => undefined,
    });
    await service.start();
    expect(await service.check()).toEqual({ state: 'disabled', reason: 'Turned off by CUTOVER_DISABLE_UPDATES.' });
  });
});
