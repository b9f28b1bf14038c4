/** An input prompt: a text (or password) field, or a pick among saved and open connections. */
import { type FormEvent, useId, useState } from 'react';
import { CONNECTION_CHOICE } from '../../../../preload/contract';
import type { PromptValue } from '../../store/prompts';
import { Button } from '../Button';
import { DialogActions } from '../DialogActions';
import type { BodyProps, Of } from './types';

export function InputBody({ prompt, busy, answer, dismiss }: BodyProps<'input'>) {
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
        <label htmlFor={inputId}>
          {prompt.choices?.length
            ? `Or a new connection string: ${prompt.prompt ?? prompt.title}`
            : (prompt.prompt ?? prompt.title)}
        </label>
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
function ConnectionChoices({
  prompt,
  busy,
  answer,
}: {
  prompt: Of<'input'>;
  busy: boolean;
  answer(value: PromptValue): void;
}) {
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
                  <button
                    type="button"
                    className="choice"
                    aria-disabled={busy || undefined}
                    onClick={() => !busy && answer(`${CONNECTION_CHOICE}${choice.ref}`)}
                  >
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
