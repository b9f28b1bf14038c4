/** A message prompt: information, a warning or an error to acknowledge. */
import { Icon } from '../Icon';
import { Button } from '../Button';
import { DialogActions } from '../DialogActions';
import type { BodyProps } from './types';

export const LEVEL_LABEL = { info: 'Information', warning: 'Warning', error: 'Error' } as const;
export const LEVEL_ICON = { info: 'info', warning: 'warning', error: 'error' } as const;

export function MessageBody({ prompt, busy, answer }: BodyProps<'message'>) {
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
