/** A report prompt: a table to review (e.g. a pre-flight report) and the actions it offers. */
import { useId } from 'react';
import { Icon } from '../Icon';
import { Button } from '../Button';
import { DialogActions } from '../DialogActions';
import type { BodyProps } from './types';
import { LEVEL_ICON, LEVEL_LABEL } from './MessageBody';

export function ReportBody({ prompt, busy, answer, dismiss }: BodyProps<'report'>) {
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
