/**
 * Draws provider prompts: pick, input, confirm, form, message, report, mapping (screens/mapping). A plan's questions are drawn in
 * the job's planning panel (PromptPanel, inline); any other waiting prompt as a modal dialog (PromptHost).
 * Dismissing (Escape or Cancel) answers with no value; a modal can always be closed. Each kind's body is a file beside this one.
 */
import type { Prompt } from '../../../../preload/contract';
import { type PromptValue, modalPrompt, usePrompts } from '../../store/prompts';
import { useJobs } from '../../store/jobs';
import { useUi } from '../../store/ui';
import { Dialog } from '../Dialog';
import { MappingScreen } from '../../screens/mapping/MappingScreen';
import { PickBody } from './PickBody';
import { InputBody } from './InputBody';
import { ConfirmBody } from './ConfirmBody';
import { FormBody } from './FormBody';
import { MessageBody } from './MessageBody';
import { ReportBody } from './ReportBody';

/** The modal prompt, if one waits that is not shown in a planning panel. */
export function useModalPrompt(): Prompt | undefined {
  const queue = usePrompts((s) => s.queue);
  const jobs = useJobs((s) => s.jobs);
  const view = useUi((s) => s.view);
  return modalPrompt(queue, jobs, view);
}

export function PromptHost() {
  const prompt = useModalPrompt();
  if (!prompt) return null;
  return <PromptPanel prompt={prompt} />;
}

/** One prompt: a modal dialog, or (inline) a planning panel in the job's screen. */
export function PromptPanel({ prompt, inline }: { prompt: Prompt; inline?: boolean }) {
  const waiting = usePrompts((s) => s.queue.filter((p) => p.jobId === prompt.jobId).length);
  const answering = usePrompts((s) => s.answering);
  const answerError = usePrompts((s) => s.answerError);
  const answerPrompt = usePrompts((s) => s.answer);
  const removePrompt = usePrompts((s) => s.remove);
  const jobTitle = useJobs((s) => s.jobs[prompt.jobId]?.title);

  const busy = answering === prompt.promptId;
  const answer = (value: PromptValue) => void answerPrompt(prompt, value);
  // Closing always works: while an answer is in flight, the prompt is dropped here (the main side decides).
  const dismiss = () => (busy ? removePrompt(prompt.jobId, prompt.promptId) : void answerPrompt(prompt, undefined));
  // A re-asked prompt (validation error) is a new object: the key makes the form start from its values.
  const contentKey = `${prompt.jobId}/${prompt.promptId}/${'error' in prompt ? (prompt.error ?? '') : ''}`;
  const tone =
    prompt.kind === 'confirm' && prompt.destructive
      ? 'danger'
      : prompt.kind === 'message'
        ? prompt.level === 'error'
          ? 'danger'
          : prompt.level
        : 'default';

  return (
    <Dialog
      title={prompt.title}
      onDismiss={dismiss}
      tone={tone}
      contentKey={contentKey}
      wide={prompt.kind === 'report' || prompt.kind === 'mapping'}
      inline={inline}
    >
      {jobTitle && !inline && (
        <p className="dialog-context">
          {jobTitle}
          {waiting > 1 ? ` · ${waiting - 1} more question${waiting > 2 ? 's' : ''} waiting` : ''}
        </p>
      )}
      {prompt.kind === 'pick' && (
        <PickBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {prompt.kind === 'input' && (
        <InputBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {prompt.kind === 'confirm' && (
        <ConfirmBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {prompt.kind === 'form' && (
        <FormBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {prompt.kind === 'message' && (
        <MessageBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {prompt.kind === 'report' && (
        <ReportBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {prompt.kind === 'mapping' && (
        <MappingScreen key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />
      )}
      {answerError && (
        <p className="alert alert-error" role="alert">
          Could not send the answer: {answerError}
        </p>
      )}
    </Dialog>
  );
}
