/**
 * Draws provider prompts: pick, input, confirm, form, message, report, mapping (screens/mapping). A plan's questions are drawn in
 * the job's planning panel (PromptPanel, inline); any other waiting prompt as a modal dialog (PromptHost).
 * Dismissing (Escape or Cancel) answers with no value; a modal can always be closed.
 */
import { useId, useState, type FormEvent } from 'react';
import { CONNECTION_CHOICE, type FormFieldDto, type Prompt } from '../../../preload/contract';
import { modalPrompt, usePrompts, type PromptValue } from '../store/prompts';
import { useJobs } from '../store/jobs';
import { useUi } from '../store/ui';
import { Dialog } from './Dialog';
import { Icon } from './Icon';
import { Button } from './Button';
import { DialogActions } from './DialogActions';
import { MappingScreen } from '../screens/mapping/MappingScreen';

type Of<K extends Prompt['kind']> = Extract<Prompt, { kind: K }>;

interface BodyProps<K extends Prompt['kind']> {
  prompt: Of<K>;
  busy: boolean;
  answer(value: PromptValue): void;
  dismiss(): void;
}

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
    prompt.kind === 'confirm' && prompt.destructive ? 'danger' : prompt.kind === 'message' ? (prompt.level === 'error' ? 'danger' : prompt.level) : 'default';

  return (
    <Dialog title={prompt.title} onDismiss={dismiss} tone={tone} contentKey={contentKey} wide={prompt.kind === 'report' || prompt.kind === 'mapping'} inline={inline}>
      {jobTitle && !inline && (
        <p className="dialog-context">
          {jobTitle}
          {waiting > 1 ? ` · ${waiting - 1} more question${waiting > 2 ? 's' : ''} waiting` : ''}
        </p>
      )}
      {prompt.kind === 'pick' && <PickBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {prompt.kind === 'input' && <InputBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {prompt.kind === 'confirm' && <ConfirmBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {prompt.kind === 'form' && <FormBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {prompt.kind === 'message' && <MessageBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {prompt.kind === 'report' && <ReportBody key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {prompt.kind === 'mapping' && <MappingScreen key={contentKey} prompt={prompt} busy={busy} answer={answer} dismiss={dismiss} />}
      {answerError && (
        <p className="alert alert-error" role="alert">
          Could not send the answer: {answerError}
        </p>
      )}
    </Dialog>
  );
}

function PickBody({ prompt, busy, answer, dismiss }: BodyProps<'pick'>) {
  const labelId = useId();
  return (
    <>
      {prompt.placeholder && (
        <p id={labelId} className="dialog-text">
          {prompt.placeholder}
        </p>
      )}
      <ul className="choice-list" role="list" aria-labelledby={prompt.placeholder ? labelId : undefined} aria-label={prompt.placeholder ? undefined : prompt.title}>
        {prompt.items.map((item, index) => {
          const reasonId = `${labelId}-r${index}`;
          return (
            <li key={item.id}>
              <button
                type="button"
                className="choice"
                data-autofocus={index === prompt.items.findIndex((i) => !i.disabledReason) ? true : undefined}
                aria-disabled={item.disabledReason || busy ? true : undefined}
                aria-describedby={item.disabledReason ? reasonId : undefined}
                onClick={() => !item.disabledReason && !busy && answer(item.id)}
              >
                <span className="choice-label">{item.label}</span>
                {item.description && <span className="choice-description">{item.description}</span>}
                {item.detail && <span className="choice-detail">{item.detail}</span>}
                {item.disabledReason && (
                  <span id={reasonId} className="choice-reason">
                    {item.disabledReason}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <DialogActions>
        <Button onClick={dismiss} disabled={busy}>
          Cancel
        </Button>
      </DialogActions>
    </>
  );
}

function InputBody({ prompt, busy, answer, dismiss }: BodyProps<'input'>) {
  const [value, setValue] = useState(prompt.value ?? '');
  const inputId = useId();
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) answer(value);
  };
  return (
    <form onSubmit={submit} noValidate>
      {prompt.choices && prompt.choices.length > 0 && <ConnectionChoices prompt={prompt} busy={busy} answer={answer} />}
      <div className="field">
        <label htmlFor={inputId}>{prompt.choices?.length ? `Or a new connection string: ${prompt.prompt ?? prompt.title}` : (prompt.prompt ?? prompt.title)}</label>
        <input
          id={inputId}
          className="input"
          type={prompt.password ? 'password' : 'text'}
          value={value}
          placeholder={prompt.placeholder}
          autoComplete={prompt.password ? 'current-password' : 'off'}
          spellCheck={false}
          aria-invalid={prompt.error ? true : undefined}
          aria-describedby={prompt.error ? errorId : undefined}
          onChange={(e) => setValue(e.target.value)}
          data-autofocus
        />
        {prompt.error && (
          <p id={errorId} className="field-error" role="alert">
            {prompt.error}
          </p>
        )}
      </div>
      <DialogActions>
        <Button onClick={dismiss} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Checking…' : 'OK'}
        </Button>
      </DialogActions>
    </form>
  );
}

/** The saved and open connections an input offers: choosing one answers with its ref (the host resolves it). */
function ConnectionChoices({ prompt, busy, answer }: { prompt: Of<'input'>; busy: boolean; answer(value: PromptValue): void }) {
  const headingId = useId();
  const groups = [
    { group: 'open' as const, heading: 'Open connections' },
    { group: 'saved' as const, heading: 'Saved connections' },
  ];
  return (
    <div className="connection-choices">
      {groups.map(({ group, heading }) => {
        const items = prompt.choices!.filter((c) => c.group === group);
        if (!items.length) return null;
        return (
          <div key={group}>
            <h3 id={`${headingId}-${group}`} className="choices-heading">
              {heading}
            </h3>
            <ul className="choice-list" role="list" aria-labelledby={`${headingId}-${group}`}>
              {items.map((choice) => (
                <li key={choice.ref}>
                  <button type="button" className="choice" aria-disabled={busy || undefined} onClick={() => !busy && answer(`${CONNECTION_CHOICE}${choice.ref}`)}>
                    <span className="choice-label">{choice.label}</span>
                    <span className="choice-description mono">{choice.detail}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

function ConfirmBody({ prompt, busy, answer, dismiss }: BodyProps<'confirm'>) {
  return (
    <>
      <p className="dialog-text">{prompt.message}</p>
      {prompt.detail && <p className="dialog-detail">{prompt.detail}</p>}
      <DialogActions>
        <Button onClick={dismiss} disabled={busy} data-autofocus={prompt.destructive ? true : undefined}>
          Cancel
        </Button>
        <button
          type="button"
          className={`button ${prompt.destructive ? 'button-danger' : 'button-primary'}`}
          onClick={() => answer(true)}
          disabled={busy}
          data-autofocus={prompt.destructive ? undefined : true}
        >
          {prompt.confirmLabel ?? 'Confirm'}
        </button>
      </DialogActions>
    </>
  );
}

type FormState = Record<string, string | boolean>;

function initialFormState(fields: FormFieldDto[]): FormState {
  const state: FormState = {};
  for (const field of fields) {
    if (field.type === 'checkbox') state[field.id] = field.value ?? false;
    else if (field.type === 'number') state[field.id] = field.value === undefined ? '' : String(field.value);
    else if (field.type === 'select') state[field.id] = field.value ?? field.options[0]?.value ?? '';
    else state[field.id] = field.value ?? '';
  }
  return state;
}

/** Checks the fields the way the person sees them; returns per-field messages. */
function validateForm(fields: FormFieldDto[], state: FormState): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const raw = state[field.id];
    if (field.type === 'text' && field.required && String(raw).trim() === '') problems[field.id] = `${field.label} is required.`;
    if (field.type === 'number') {
      const text = String(raw).trim();
      if (text === '') {
        if (field.required) problems[field.id] = `${field.label} is required.`;
        continue;
      }
      const value = Number(text);
      if (!Number.isFinite(value)) problems[field.id] = `${field.label} must be a number.`;
      else if (field.min !== undefined && value < field.min) problems[field.id] = `${field.label} must be at least ${field.min}.`;
      else if (field.max !== undefined && value > field.max) problems[field.id] = `${field.label} must be at most ${field.max}.`;
    }
  }
  return problems;
}

function FormBody({ prompt, busy, answer, dismiss }: BodyProps<'form'>) {
  const [state, setState] = useState<FormState>(() => initialFormState(prompt.fields));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const baseId = useId();
  const set = (id: string, value: string | boolean) => setState((s) => ({ ...s, [id]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = validateForm(prompt.fields, state);
    setProblems(found);
    const firstBad = prompt.fields.find((f) => found[f.id]);
    if (firstBad) {
      document.getElementById(`${baseId}-${firstBad.id}`)?.focus();
      return;
    }
    const values: Record<string, string | number | boolean> = {};
    for (const field of prompt.fields) {
      const raw = state[field.id];
      if (field.type === 'number') {
        if (String(raw).trim() !== '') values[field.id] = Number(raw);
      } else values[field.id] = raw;
    }
    answer(values);
  };

  return (
    <form onSubmit={submit} noValidate>
      {prompt.description && <p className="dialog-text">{prompt.description}</p>}
      {prompt.error && (
        <p className="alert alert-error" role="alert">
          {prompt.error}
        </p>
      )}
      {prompt.fields.map((field, index) => {
        const id = `${baseId}-${field.id}`;
        const helpId = field.help ? `${id}-help` : undefined;
        const problemId = problems[field.id] ? `${id}-problem` : undefined;
        const describedBy = [helpId, problemId].filter(Boolean).join(' ') || undefined;
        const autoFocus = index === 0 ? true : undefined;
        const problem = problemId && (
          <p id={problemId} className="field-error">
            {problems[field.id]}
          </p>
        );
        const help = helpId && (
          <p id={helpId} className="field-help">
            {field.help}
          </p>
        );
        if (field.type === 'checkbox') {
          return (
            <div className="field field-checkbox" key={field.id}>
              <input id={id} type="checkbox" checked={state[field.id] === true} onChange={(e) => set(field.id, e.target.checked)} aria-describedby={describedBy} data-autofocus={autoFocus} />
              <label htmlFor={id}>{field.label}</label>
              {help}
            </div>
          );
        }
        return (
          <div className="field" key={field.id}>
            <label htmlFor={id}>
              {field.label}
              {'required' in field && field.required ? <span className="required" aria-hidden="true"> *</span> : null}
            </label>
            {field.type === 'select' ? (
              <select id={id} className="input" value={String(state[field.id])} onChange={(e) => set(field.id, e.target.value)} aria-describedby={describedBy} data-autofocus={autoFocus}>
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                className="input"
                type={field.type === 'number' ? 'number' : field.secret ? 'password' : 'text'}
                inputMode={field.type === 'number' ? 'decimal' : undefined}
                min={field.type === 'number' ? field.min : undefined}
                max={field.type === 'number' ? field.max : undefined}
                placeholder={field.type === 'text' ? field.placeholder : undefined}
                required={field.required}
                spellCheck={false}
                autoComplete="off"
                value={String(state[field.id])}
                onChange={(e) => set(field.id, e.target.value)}
                aria-invalid={problemId ? true : undefined}
                aria-describedby={describedBy}
                data-autofocus={autoFocus}
              />
            )}
            {help}
            {problem}
          </div>
        );
      })}
      <DialogActions>
        <Button onClick={dismiss} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Checking…' : (prompt.submitLabel ?? 'Continue')}
        </Button>
      </DialogActions>
    </form>
  );
}

const LEVEL_LABEL = { info: 'Information', warning: 'Warning', error: 'Error' } as const;
const LEVEL_ICON = { info: 'info', warning: 'warning', error: 'error' } as const;

function MessageBody({ prompt, busy, answer }: BodyProps<'message'>) {
  return (
    <>
      <div className={`message message-${prompt.level}`}>
        <Icon name={LEVEL_ICON[prompt.level]} size={24} className="message-icon" />
        <div>
          <p className="dialog-text">
            <span className="visually-hidden">{LEVEL_LABEL[prompt.level]}: </span>
            {prompt.message}
          </p>
          {prompt.detail && <p className="dialog-detail">{prompt.detail}</p>}
        </div>
      </div>
      <DialogActions>
        <Button variant="primary" onClick={() => answer(undefined)} disabled={busy} data-autofocus>
          OK
        </Button>
      </DialogActions>
    </>
  );
}

function ReportBody({ prompt, busy, answer, dismiss }: BodyProps<'report'>) {
  const captionId = useId();
  const primary = prompt.actions.find((a) => a.primary) ?? prompt.actions[0];
  const hasCancel = prompt.actions.some((a) => /^(cancel|stop|close)$/i.test(a.label.trim()));
  return (
    <>
      {prompt.message && <p className="dialog-text">{prompt.message}</p>}
      {prompt.rows.length > 0 && (
        <div className="report-table-wrap">
          <table className="table report-table" aria-labelledby={captionId}>
            <caption id={captionId} className="visually-hidden">
              {prompt.title}
            </caption>
            <thead>
              <tr>
                {prompt.columns.map((column) => (
                  <th key={column.id} scope="col" className={column.align === 'right' ? 'num' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {prompt.rows.map((row, index) => (
                <tr key={index}>
                  {prompt.columns.map((column) => (
                    <td key={column.id} className={column.align === 'right' ? 'num' : undefined}>
                      {row[column.id] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {prompt.notes.length > 0 && (
        <ul className="report-notes" role="list" aria-label="Notes">
          {prompt.notes.map((note, index) => (
            <li key={index} className={`report-note report-note-${note.level}`}>
              <Icon name={LEVEL_ICON[note.level]} className="inline-icon" />
              <span className="visually-hidden">{LEVEL_LABEL[note.level]}: </span>
              {note.text}
            </li>
          ))}
        </ul>
      )}
      <DialogActions>
        {!hasCancel && (
          <Button onClick={dismiss} disabled={busy}>
            Cancel
          </Button>
        )}
        {[...prompt.actions.filter((a) => a !== primary), ...(primary ? [primary] : [])].map((action) => (
          <button
            key={action.id}
            type="button"
            className={`button${action === primary ? ' button-primary' : ''}`}
            onClick={() => answer(action.id)}
            disabled={busy}
            data-autofocus={action === primary ? true : undefined}
          >
            {action.label}
          </button>
        ))}
      </DialogActions>
    </>
  );
}
