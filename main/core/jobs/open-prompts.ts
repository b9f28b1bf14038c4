/**
 * A job's open questions to the window: each goes out as a prompt event and stays open until an answer
 * that fits it comes back (./answer-check.ts), it is dismissed, or the job closes it. Once answered or
 * closed it is withdrawn from every window. A mapping prompt also serves live previews, one at a time.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../../providers/api/errors';
import type { MappingPreview } from '../../../providers/api/index';
import type { Prompt } from '../../../preload/contract';
import { answerProblem, PromptAnswerError, type PromptAnswer } from './answer-check';
import type { JobEvents } from './runner-options';

/** A prompt as a job asks it: the job and prompt ids are added here. */
export type PromptInput = Prompt extends infer P ? (P extends Prompt ? Omit<P, 'jobId' | 'promptId'> : never) : never;

type PendingPrompt = { prompt: Prompt; resolve(value: PromptAnswer): void; preview?: PreviewGate };
/** A mapping prompt's previews: the provider's function, run one at a time (the newest waiting one next). */
type PreviewGate = {
  run(mapping: string, collection?: string): Promise<MappingPreview>;
  running?: Promise<MappingPreview>;
  tickets: number;
};

export class OpenPrompts {
  private readonly open = new Map<string, PendingPrompt>();

  /** `questions` hears when a prompt opens and when it is answered or closed (durations leave that time out). */
  constructor(
    private readonly jobId: string,
    private readonly events: Pick<JobEvents, 'prompt' | 'promptClosed'>,
    private readonly signal: AbortSignal,
    private readonly questions: { opened(): void; closed(): void },
  ) {}

  /**
   * Asks the window; resolves with the answer, or undefined when dismissed, closed or the job was cancelled.
   * `preview` serves a mapping prompt's live previews; `promptId` is kept when a prompt is asked again.
   */
  ask(prompt: PromptInput, preview?: PreviewGate['run'], promptId: string = randomUUID()): Promise<PromptAnswer> {
    if (this.signal.aborted) return Promise.resolve(undefined);
    const full = { ...prompt, jobId: this.jobId, promptId } as Prompt;
    this.questions.opened();
    return new Promise((resolve) => {
      const answered = (value: PromptAnswer) => {
        this.questions.closed();
        resolve(value);
      };
      this.open.set(full.promptId, {
        prompt: full,
        resolve: answered,
        ...(preview ? { preview: { run: preview, tickets: 0 } } : {}),
      });
      this.events.prompt(full);
    });
  }

  /** Takes the window's answer; throws NotFoundError for a prompt not open, PromptAnswerError for an answer that does not fit. */
  answer(promptId: string, value: PromptAnswer): void {
    const pending = this.open.get(promptId);
    if (!pending)
      throw new NotFoundError(`No open prompt ${promptId} in job ${this.jobId} (it was answered or closed).`);
    const problem = answerProblem(pending.prompt, value);
    if (problem) throw new PromptAnswerError(problem);
    this.open.delete(promptId);
    pending.resolve(value);
    // Every window drops it (a second window or tab that still shows it, too).
    this.events.promptClosed(this.jobId, promptId);
  }

  /** A live preview for an open mapping prompt (the window's mapping is checked by the provider's function). */
  async preview(promptId: string, mapping: string, collection?: string): Promise<MappingPreview> {
    const gate = this.open.get(promptId)?.preview;
    if (!gate)
      throw new PromptAnswerError(
        `No open mapping prompt ${promptId} in job ${this.jobId} (it was answered or closed).`,
      );
    // One preview runs at a time; of those asked meanwhile only the newest runs next (the others are answered at once).
    const ticket = ++gate.tickets;
    while (gate.running) {
      await gate.running.catch(() => undefined);
      if (ticket !== gate.tickets) throw new PromptAnswerError('A newer preview was asked for.');
    }
    const run = gate.run(mapping, collection);
    gate.running = run;
    const settled = () => {
      if (gate.running === run) gate.running = undefined;
    };
    run.then(settled, settled);
    return run;
  }

  /** Closes every open prompt as dismissed (the job was cancelled or ended). */
  closeAll(): void {
    for (const [promptId, pending] of this.open) {
      this.open.delete(promptId);
      pending.resolve(undefined);
      this.events.promptClosed(this.jobId, promptId);
    }
  }
}
