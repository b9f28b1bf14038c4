/** Provider prompts waiting for an answer, in arrival order. The first one is shown as a dialog. */
import { create } from 'zustand';
import type { Prompt } from '../../../preload/contract';
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

export const usePrompts = create<PromptsState>((set, get) => ({
  queue: [],

  add(prompt) {
    set((state) => {
      const at = state.queue.findIndex((p) => same(p, prompt.jobId, prompt.promptId));
      if (at < 0) return { queue: [...state.queue, prompt] };
      // Asked again (e.g. after validation failed): replace in place, keep its turn.
      const queue = [...state.queue];
      queue[at] = prompt;
      return { queue, answering: state.answering === prompt.promptId ? undefined : state.answering, answerError: undefined };
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
      await api().call('prompts.answer', { jobId: prompt.jobId, promptId: prompt.promptId, ...(value === undefined ? {} : { value }) });
      // If the prompt was asked again meanwhile (same id, new content), keep the new one on screen.
      const current = get().queue.find((p) => same(p, prompt.jobId, prompt.promptId));
      if (current === prompt) get().remove(prompt.jobId, prompt.promptId);
      else set({ answering: undefined });
    } catch (error) {
      set({ answering: undefined, answerError: messageOf(error) });
    }
  },
}));
