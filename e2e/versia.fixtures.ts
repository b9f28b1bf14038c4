/**
 * Fixtures for the Versia e2e specs: three test-kit instances (old.test, new.test, third.test) on
 * 127.0.0.1 sharing a resolver, and a harness whose core has the Versia provider configured with that
 * resolver and the test kit's adapter (the built-in one talks https to real domains and has no adapter for
 * the test kit's software).
 */
import { createCore } from '../main/core/app-core';
import { startHarness, type Harness } from '../main/harness/server';
import { CUTOVER_VERSION } from '../main/core/version';
import { createVersiaProvider } from '../providers/versia/index';
import {
  createVersiaNetwork,
  cutoverTestkitAdapter,
  seedFollow,
  startVersiaInstance,
  type VersiaNetwork,
  type VersiaTestInstance,
} from '../testkit/versia/index';
import { test as base, expect } from './fixtures';

export interface VersiaWorld {
  network: VersiaNetwork;
  old: VersiaTestInstance;
  new: VersiaTestInstance;
  third: VersiaTestInstance;
}

export const test = base.extend<{ versia: VersiaWorld }>({
  versia: async ({}, use) => {
    const network = createVersiaNetwork();
    const [oldI, newI, third] = await Promise.all(
      ['old.test', 'new.test', 'third.test'].map((domain) => startVersiaInstance({ domain, network, pageSize: 5 })),
    );
    try {
      oldI.createUser('alice');
      newI.createUser('alice');
      const followers = ['carol', 'dave', 'erin', 'frank', 'gina', 'hank', 'ivy'];
      for (const name of followers) {
        third.createUser(name);
        seedFollow({ instance: third, username: name }, { instance: oldI, username: 'alice' });
      }
      for (const name of ['carol', 'dave', 'erin'])
        seedFollow({ instance: oldI, username: 'alice' }, { instance: third, username: name });
      await use({ network, old: oldI, new: newI, third });
    } finally {
      await Promise.all([oldI, newI, third].map((i) => i.stop()));
    }
  },
  harness: async ({ versia }, use) => {
    const core = createCore({
      providers: [
        createVersiaProvider({
          resolve: versia.network.resolve,
          adapters: [cutoverTestkitAdapter],
          pollIntervalMs: 100,
          timeoutMs: 3_000,
        }),
      ],
      shell: 'browser',
      version: CUTOVER_VERSION,
    });
    const harness: Harness = await startHarness({ core });
    try {
      await use(harness);
    } finally {
      await harness.stop();
    }
  },
});

export { expect };
