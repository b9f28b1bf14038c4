/** A pick prompt: a list of choices. */
import { useId } from 'react';
import { Button } from '../Button';
import { DialogActions } from '../DialogActions';
import type { BodyProps } from './types';

export function PickBody({ prompt, busy, answer, dismiss }: BodyProps<'pick'>) {
  const labelId = useId();
  return (
    <>
      {prompt.placeholder && (
        <p id={labelId} className="dialog-text">
          {prompt.placeholder}
        </p>
      )}
      <ul
        className="choice-list"
        role="list"
        aria-labelledby={prompt.placeholder ? labelId : undefined}
        aria-label={prompt.placeholder ? undefined : prompt.title}
      >
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
