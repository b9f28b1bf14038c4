/**
 * Checks an answer from the window against the prompt it answers, before the provider sees it: a pick is
 * one of the offered (enabled) items, a form holds only its own fields with values of their types and
 * options, a mapping is text of a bounded length. The window is untrusted, so nothing else gets through.
 */
import { BadRequestError } from '../../../providers/api/errors';
import type { FormValues } from '../../../providers/api/index';
import { MAX_MAPPING_CHARS, type Prompt } from '../../../preload/contract';

/** What the window can send back for a prompt; `undefined` is "dismissed". */
export type PromptAnswer = string | boolean | FormValues | undefined;

/** An answer to no open prompt, or one the prompt does not take. */
export class PromptAnswerError extends BadRequestError {
  override name = 'PromptAnswerError';
}

/** Why `value` does not answer `prompt`, or undefined when it does. */
export function answerProblem(prompt: Prompt, value: PromptAnswer): string | undefined {
  if (value === undefined) return undefined;
  switch (prompt.kind) {
    case 'pick':
      return typeof value === 'string' && prompt.items.some((item) => item.id === value && !item.disabledReason)
        ? undefined
        : 'That answer is not one of the offered items.';
    case 'input':
      return typeof value === 'string' ? undefined : 'An input prompt takes text.';
    case 'confirm':
      return typeof value === 'boolean' ? undefined : 'A confirmation takes true or false.';
    case 'message':
      return undefined;
    case 'report':
      return typeof value === 'string' && prompt.actions.some((action) => action.id === value)
        ? undefined
        : 'That answer is not one of the offered actions.';
    case 'mapping':
      return typeof value === 'string' && value.length <= MAX_MAPPING_CHARS
        ? undefined
        : `A mapping prompt takes a mapping document (JSON text of at most ${MAX_MAPPING_CHARS.toLocaleString('en-US')} characters).`;
    case 'form': {
      if (typeof value !== 'object') return 'A form takes an object of field values.';
      // Only the fields the form asked: an answer cannot add a preset (a path, confirm=yes) of its own.
      const extra = Object.keys(value).find((id) => !prompt.fields.some((field) => field.id === id));
      if (extra !== undefined) return `This form has no field "${extra}".`;
      for (const field of prompt.fields) {
        const v = value[field.id];
        const expected = field.type === 'number' ? 'number' : field.type === 'checkbox' ? 'boolean' : 'string';
        if (v !== undefined && typeof v !== expected) return `Field "${field.label}" takes a ${expected}.`;
        if (field.type === 'select' && v !== undefined && !field.options.some((o) => o.value === v))
          return `Field "${field.label}" has no option ${String(v)}.`;
      }
      return undefined;
    }
  }
}
