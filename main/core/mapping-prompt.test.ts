/**
 * The host's side of the mapping prompt (UiPort.mapping): previews go to the provider's function one at a
 * time, and of those asked meanwhile only the newest runs next (the window cannot pile work up), an answer the provider's
 * validate refuses is asked again with the reason under the same prompt id, and a closed prompt takes no
 * more previews.
 */
import { describe, expect, it } from 'vitest';
import type { MappingPreview, MigrationProvider } from '../../providers/api/index';
import type { Prompt } from '../../preload/contract';
import { JobRunner } from './job-runner';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('mapping prompt', () => {
  it('serialises previews, runs only the newest waiting one, re-asks with the reason, and closes', async () => {
    const prompts: Prompt[] = [];
    const runner = new JobRunner({
      throttleMs: 0,
      openExternal: async () => undefined,
      events: {
        updated: () => undefined,
        prompt: (p) => prompts.push(p),
        promptClosed: () => undefined,
      },
    });
    let running = 0;
    let most = 0;
    const release: Array<() => void> = [];
    let result: string | undefined;
    const provider: MigrationProvider = {
      id: 'm',
      label: 'M',
      description: 'test',
      appliesTo: ['postgres'],
      getAvailableActions: async () => [],
      async executeAction(_c, _a, host) {
        result = await host.ui.mapping!({
          title: 'Map',
          source: { dialect: 'postgres', tables: [], types: [], cycles: [] },
          mapping: '{}',
          preview: async (text): Promise<MappingPreview> => {
            most = Math.max(most, ++running);
            await new Promise<void>((resolve) => release.push(resolve));
            running--;
            return { collections: [], documents: [text], errors: [] };
          },
          validate: (text) => (text.includes('bad') ? 'That mapping is bad.' : undefined),
        });
        return { outcome: 'succeeded', summary: 'ok' };
      },
    };
    const jobId = runner.start(provider, undefined, { authenticated: false, extendedProperties: {} }, 'Map');
    await until(() => prompts.length === 1);
    const { promptId } = prompts[0];
    expect(prompts[0]).toMatchObject({ kind: 'mapping', mapping: '{}' });
    const first = runner.preview(jobId, promptId, 'one');
    const second = runner.preview(jobId, promptId, 'two');
    const third = runner.preview(jobId, promptId, 'three');
    await until(() => release.length === 1);
    release.shift()!();
    expect(await first).toMatchObject({ documents: ['one'] });
    await expect(second).rejects.toThrow('A newer preview was asked for.');
    await until(() => release.length === 1);
    release.shift()!();
    expect(await third).toMatchObject({ documents: ['three'] });
    expect(most).toBe(1);

    expect(() => runner.answer(jobId, promptId, { not: 'text' })).toThrow('A mapping prompt takes a mapping document');
    runner.answer(jobId, promptId, 'bad');
    await until(() => prompts.length === 2);
    expect(prompts[1]).toMatchObject({
      kind: 'mapping',
      promptId,
      mapping: 'bad',
      error: 'That mapping is bad.',
    });
    runner.answer(jobId, promptId, 'good');
    expect(await runner.whenDone(jobId)).toMatchObject({ state: 'succeeded' });
    expect(result).toBe('good');
    await expect(runner.preview(jobId, promptId, 'late')).rejects.toThrow('No open mapping prompt');
  });
});
