/**
 * Shared by the app-core tests (app-core-*.test.ts): small providers written against the public provider
 * API, a core created around them that records its prompts and job snapshots, and two small waits.
 */
import type { MigrationProvider } from '../../providers/api/index';
import type { EventPayload, JobSnapshot, Prompt } from '../../preload/contract';
import { createCore } from './app-core';

export function provider(overrides: Partial<MigrationProvider>): MigrationProvider {
  return {
    id: 'p',
    label: 'P',
    description: 'test provider',
    appliesTo: ['mongodb', 'postgres'],
    getAvailableActions: async () => [],
    executeAction: async () => ({ outcome: 'succeeded', summary: 'done' }),
    ...overrides,
  };
}

export function coreWith(providers: MigrationProvider[]) {
  const core = createCore({ providers, shell: 'browser', version: '1.2.3', progressThrottleMs: 0 });
  const prompts: Prompt[] = [];
  const updates: JobSnapshot[] = [];
  core.onEvent((name, payload) => {
    if (name === 'job.prompt') prompts.push(payload as EventPayload<'job.prompt'>);
    if (name === 'job.updated') updates.push(payload as JobSnapshot);
  });
  return { core, prompts, updates };
}

export const ok = <T>(outcome: { ok: boolean; value?: unknown; error?: unknown }) => {
  if (!outcome.ok) throw new Error(`call failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value as T;
};

export async function waitFor<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
