/** A form prompt: declared fields, checked before they are sent. */
import { type FormEvent, useId, useState } from 'react';
import type { FormFieldDto } from '../../../../preload/contract';
import { Button } from '../Button';
import { DialogActions } from '../DialogActions';
import type { BodyProps } from './types';

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
    if (field.type === 'text' && field.required && String(raw).trim() === '')
      problems[field.id] = `${field.label} is required.`;
    if (field.type === 'number') {
      const text = String(raw).trim();
      if (text === '') {
        if (field.required) problems[field.id] = `${field.label} is required.`;
        continue;
      }
      const value = Number(text);
      if (!Number.isFinite(value)) problems[field.id] = `${field.label} must be a number.`;
      else if (field.min !== undefined && value < field.min)
        problems[field.id] = `${field.label} must be at least ${field.min}.`;
      else if (field.max !== undefined && value > field.max)
        problems[field.id] = `${field.label} must be at most ${field.max}.`;
    }
  }
  return problems;
}

export function FormBody({ prompt, busy, answer, dismiss }: BodyProps<'form'>) {
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
              <input
                id={id}
                type="checkbox"
                checked={state[field.id] === true}
                onChange={(e) => set(field.id, e.target.checked)}
                aria-describedby={describedBy}
                data-autofocus={autoFocus}
              />
              <label htmlFor={id}>{field.label}</label>
              {help}
            </div>
          );
        }
        return (
          <div className="field" key={field.id}>
            <label htmlFor={id}>
              {field.label}
              {'required' in field && field.required ? (
                <span className="required" aria-hidden="true">
                  {' '}
                  *
                </span>
              ) : null}
            </label>
            {field.type === 'select' ? (
              <select
                id={id}
                className="input"
                value={String(state[field.id])}
                onChange={(e) => set(field.id, e.target.value)}
                aria-describedby={describedBy}
                data-autofocus={autoFocus}
              >
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
