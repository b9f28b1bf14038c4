/** Settings in the data folder: defaults, kept across runs, written atomically, a damaged file never overwritten. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from './app-core';
import { DEFAULT_SETTINGS, SettingsStore } from './settings';

describe('settings', () => {
  it('start from the defaults and are kept in settings.json across runs, through the contract', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-settings-'));
    const core = createCore({ providers: [], shell: 'browser', version: '0.1.0', dataDir });
    expect(await core.dispatch('settings.get', {})).toEqual({ ok: true, value: { settings: DEFAULT_SETTINGS } });
    expect(await core.dispatch('settings.update', { updates: { automatic: false } })).toEqual({
      ok: true,
      value: { settings: { updates: { automatic: false, channel: 'stable' } } },
    });
    expect(await core.dispatch('settings.update', { updates: { channel: 'beta' } })).toMatchObject({
      ok: true,
      value: { settings: { updates: { automatic: false, channel: 'beta' } } },
    });
    expect(JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'))).toEqual({
      updates: { automatic: false, channel: 'beta' },
    });
    await core.shutdown();
    const again = createCore({ providers: [], shell: 'browser', version: '0.1.0', dataDir });
    expect(await again.dispatch('settings.get', {})).toEqual({
      ok: true,
      value: { settings: { updates: { automatic: false, channel: 'beta' } } },
    });
    expect(await again.dispatch('settings.update', { updates: { channel: 'nightly' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    await again.shutdown();
  });

  it('a damaged settings file is reported, defaults apply, and it is never overwritten', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-settings-'));
    const file = path.join(dataDir, 'settings.json');
    await writeFile(file, '{"updates": {"automatic": "yes"');
    const store = SettingsStore.inDataDir(dataDir);
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.problem()).toMatch(/settings\.json is not valid JSON/);
    await expect(store.update({ updates: { automatic: false } })).rejects.toThrow(
      /Settings were not saved: .*settings\.json is not valid JSON.*Fix or remove that file first\./,
    );
    expect(await readFile(file, 'utf8')).toBe('{"updates": {"automatic": "yes"');
  });
});
