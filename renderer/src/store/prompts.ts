/**
 * Provider prompts waiting for an answer, in arrival order. A prompt of a job that is still a plan is shown
 * in that job's planning panel while its screen is open; the first other one is shown as a modal dialog.
 */
import { create } from 'zustand';
import type { JobSnapshot, Prompt } from '../../../preload/contract';
import { CutoverError } from '../../../preload/client';
import type { View } from './ui';
import { api, messageOf } from '../api';

export type PromptValue = string | boolean | Record<string, string | number | boolean> | undefined;

interface PromptsState {
  queue: Prompt[];
  /** promptId of the answer in flight. */
  answering?: string;
  answerError?: string;
  add(prompt: Prompt): void;
  remove(jobId: string, promptId: string): void;
  /** Answers the prompt (undefined = dismissed) and removes it. */
  answer(prompt: Prompt, value: PromptValue): Promise<void>;
}

const same = (a: Prompt, jobId: string, promptId: string) => a.jobId === jobId && a.promptId === promptId;

/** A plan's question, shown in the planning panel of the job's own screen (not as a modal). */
export function shownInline(prompt: Prompt, jobs: Record<string, JobSnapshot>, view: View): boolean {
  return !!jobs[prompt.jobId]?.planning && view.name === 'job' && view.jobId === prompt.jobId;
}

/** The prompt drawn as a modal dialog, if any. */
export function modalPrompt(queue: Prompt[], jobs: Record<string, JobSnapshot>, view: View): Prompt | undefined {
  return queue.find((prompt) => !shownInline(prompt, jobs, view));
}

/** The main side no longer has this prompt (answered in another window, or its job ended). */
const gone = (error: unknown) => error instanceof CutoverError && error.code === 'not_found';

export const usePrompts = create<PromptsState>((set, get) => ({
  queue: [],

  add(prompt) {
    set((state) => {
      const at = state.queue.findIndex((p) => same(p, prompt.jobId, prompt.promptId));
      if (at < 0) return { queue: [...state.queue, prompt] };
      // Asked again (e.g. after validation failed): replace in place, keep its turn.
      const queue = [...state.queue];
      queue[at] = prompt;
      return {
        queue,
        answering: state.answering === prompt.promptId ? undefined : state.answering,
        answerError: undefined,
      };
    });
  },

  remove(jobId, promptId) {
    set((state) => ({
      queue: state.queue.filter((p) => !same(p, jobId, promptId)),
      answering: state.answering === promptId ? undefined : state.answering,
      answerError: state.queue[0] && same(state.queue[0], jobId, promptId) ? undefined : state.answerError,
    }));
  },

  async answer(prompt, value) {
    if (get().answering) return;
    set({ answering: prompt.promptId, answerError: undefined });
    try {
      await api().call('prompts.answer', {
        jobId: prompt.jobId,
        promptId: prompt.promptId,
        ...(value === undefined ? {} : { value }),
      });
      // If the prompt was asked again meanwhile (same id, new content), keep the new one on screen.
      const current = get().queue.find((p) => same(p, prompt.jobId, prompt.promptId));
      if (current === prompt) get().remove(prompt.jobId, prompt.promptId);
      else set({ answering: undefined });
    } catch (error) {
      const message = messageOf(error);
      // A question answered or withdrawn elsewhere just goes: it never locks the window.
      if (gone(error) || value === undefined) {
        get().remove(prompt.jobId, prompt.promptId);
        set({ answering: undefined });
      } else set({ answering: undefined, answerError: message });
    }
  },
}));
