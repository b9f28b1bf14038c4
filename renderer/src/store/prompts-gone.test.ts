/**
 * A prompt the core no longer has (answered in another window, its job gone) is told by the call's
 * error code (`not_found`), not by the words of its message: it goes away; other failures stay shown.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../preload/client';
import type { ErrorCode, Prompt } from '../../../preload/contract';
import { setApiForTests } from '../api';
import { usePrompts } from './prompts';

function coreAnswering(code: ErrorCode, message: string) {
  setApiForTests(
    createClient({ invoke: async () => ({ ok: false, error: { code, message } }), subscribe: () => () => undefined }),
  );
}

const prompt: Prompt = { jobId: 'j1', promptId: 'p1', kind: 'input', title: 'Target?' };

beforeEach(() => usePrompts.setState({ queue: [prompt], answering: undefined, answerError: undefined }));

describe('answering a prompt that is gone', () => {
  it('removes it on not_found, whatever the message says', async () => {
    coreAnswering('not_found', 'Diese Frage gibt es nicht mehr.');
    await usePrompts.getState().answer(prompt, 'x');
    expect(usePrompts.getState().queue).toEqual([]);
    expect(usePrompts.getState().answerError).toBeUndefined();
  });

  it('keeps it with the error for any other code, even when the message reads like "No open prompt"', async () => {
    coreAnswering('bad_request', 'No open prompt p1 in job j1 (it was answered or closed).');
    await usePrompts.getState().answer(prompt, 'x');
    expect(usePrompts.getState().queue).toEqual([prompt]);
    expect(usePrompts.getState().answerError).toBe('No open prompt p1 in job j1 (it was answered or closed).');
  });
});
