/** A confirm prompt: yes or no, destructive ones said so. */
import { Button } from '../Button';
import { DialogActions } from '../DialogActions';
import type { BodyProps } from './types';

export function ConfirmBody({ prompt, busy, answer, dismiss }: BodyProps<'confirm'>) {
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
