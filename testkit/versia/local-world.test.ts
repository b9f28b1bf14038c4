/**
 * The built-in provider (plain fetch, no injected resolver), with the test kit's adapter registered as the
 * development entries register it (./register.ts), moves an account between instances addressed as
 * 127.0.0.1:PORT through versia+http:// connection strings: what `npm run testkit:versia` sets up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCore } from '../../main/core/app-core';
import { builtinProviders } from '../../providers/builtin';
import { startLocalWorld, type LocalWorld } from './local-world';
import './register';

let world: LocalWorld;
beforeAll(async () => {
  world = await startLocalWorld({ followers: 4 });
});
afterAll(async () => {
  await world?.stop();
});

it('moves @alice between 127.0.0.1 instances with the built-in provider and the registered adapter', async () => {
  const core = createCore({ providers: builtinProviders(), shell: 'browser', version: 'test' });
  try {
    const opened = await core.dispatch('connections.open', { uri: world.accounts.old });
    if (!opened.ok) throw new Error(opened.error.message);
    const started = await core.dispatch('jobs.start', {
      providerId: 'versia-migration',
      actionId: 'move-account',
      context: {
        connectionId: (opened.value as { id: string }).id,
        extendedProperties: { newAccount: world.accounts.new, confirm: 'yes' },
      },
    });
    if (!started.ok) throw new Error(started.error.message);
    const done = await core.runner.whenDone((started.value as { jobId: string }).jobId);
    expect(done.state, done.summary).toBe('succeeded');
    expect(done.stats?.find((s) => s.label === 'Followers moved')?.value).toBe('4 of 4');
    expect(world.old.user('alice').new).toBe(world.new.reference('alice'));
    expect(world.old.user('alice').disabled).toBe(true);
    expect([...world.third.user('friend0').following]).toEqual([world.new.reference('alice')]);
  } finally {
    await core.shutdown();
  }
});
