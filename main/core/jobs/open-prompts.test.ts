/**
 * A job's open prompts: each goes out once with the job's id, an answer that does not fit is refused and
 * leaves it open, a fitting one resolves it and withdraws it from every window, and closing answers all of
 * them as dismissed. A cancelled job asks nothing. Open time is reported (durations leave it out). A mapping
 * prompt's previews run one at a time, and of those asked meanwhile only the newest.
 */
import { describe, expect, it } from 'vitest';
import type { MappingPreview } from '../../../providers/api/index';
import type { Prompt } from '../../../preload/contract';
import { PromptAnswerError } from './answer-check';
import { OpenPrompts } from './open-prompts';

function setup() {
  const sent: Prompt[] = [];
  const closed: string[] = [];
  const counts = { opened: 0, closed: 0 };
  const abort = new AbortController();
  const prompts = new OpenPrompts(
    'job-1',
    { prompt: (p) => sent.push(p), promptClosed: (jobId, id) => closed.push(`${jobId}/${id}`) },
    abort.signal,
    {
      opened: () => counts.opened++,
      closed: () => counts.closed++,
    },
  );
  return { prompts, sent, closed, counts, abort };
}

describe('open prompts', () => {
  it('resolves a prompt with a fitting answer only, and withdraws it everywhere', async () => {
    const { prompts, sent, closed, counts } = setup();
    const answer = prompts.ask({ kind: 'confirm', title: 'Go?', message: 'Go?' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'confirm', jobId: 'job-1' });
    const { promptId } = sent[0];
    expect(() => prompts.answer(promptId, 'yes')).toThrow(new PromptAnswerError('A confirmation takes true or false.'));
    expect(closed).toEqual([]);
    expect(counts).toEqual({ opened: 1, closed: 0 });
    prompts.answer(promptId, true);
    await expect(answer).resolves.toBe(true);
    expect(closed).toEqual([`job-1/${promptId}`]);
    expect(counts).toEqual({ opened: 1, closed: 1 });
    expect(() => prompts.answer(promptId, true)).toThrow(
      `No open prompt ${promptId} in job job-1 (it was answered or closed).`,
    );
  });

  it('closes every open prompt as dismissed', async () => {
    const { prompts, sent, closed } = setup();
    const first = prompts.ask({ kind: 'input', title: 'A?' });
    const second = prompts.ask({ kind: 'input', title: 'B?' });
    expect(new Set(sent.map((p) => p.promptId)).size).toBe(2);
    prompts.closeAll();
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(closed.sort()).toEqual(sent.map((p) => `job-1/${p.promptId}`).sort());
  });

  it('asks nothing once the job is cancelled', async () => {
    const { prompts, sent, counts, abort } = setup();
    abort.abort();
    await expect(prompts.ask({ kind: 'input', title: 'A?' })).resolves.toBeUndefined();
    expect(sent).toEqual([]);
    expect(counts.opened).toBe(0);
  });

  it("runs a mapping prompt's previews one at a time, the newest waiting one next, and none once it is answered", async () => {
    const { prompts, sent } = setup();
    const release: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const preview = async (text: string, collection?: string): Promise<MappingPreview> => {
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      return { collection, collections: [], documents: [text], errors: [] };
    };
    const answer = prompts.ask(
      {
        kind: 'mapping',
        title: 'Map',
        source: { dialect: 'postgres', tables: [], types: [], cycles: [] },
        mapping: '{}',
      },
      preview,
      'kept-id',
    );
    expect(sent[0].promptId).toBe('kept-id');
    const first = prompts.preview('kept-id', 'one', 'orders');
    const second = prompts.preview('kept-id', 'two');
    const third = prompts.preview('kept-id', 'three');
    await new Promise((r) => setTimeout(r, 10));
    expect(release).toHaveLength(1);
    release.shift()!();
    await expect(first).resolves.toEqual({ collection: 'orders', collections: [], documents: ['one'], errors: [] });
    await expect(second).rejects.toThrow(new PromptAnswerError('A newer preview was asked for.'));
    await new Promise((r) => setTimeout(r, 10));
    release.shift()!();
    await expect(third).resolves.toMatchObject({ documents: ['three'] });
    expect(most).toBe(1);
    await expect(prompts.preview('other', 'x')).rejects.toThrow(
      'No open mapping prompt other in job job-1 (it was answered or closed).',
    );
    prompts.answer('kept-id', '{"ok": true}');
    await expect(answer).resolves.toBe('{"ok": true}');
    await expect(prompts.preview('kept-id', 'late')).rejects.toThrow('No open mapping prompt kept-id');
  });
});
