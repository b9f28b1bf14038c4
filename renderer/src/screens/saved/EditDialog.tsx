/** Adding or editing a saved connection: its string (the stored password is kept on the same server) and name. */
import { type FormEvent, useId, useState } from 'react';
import { messageOf } from '../../api';
import { Dialog } from '../../components/Dialog';
import { useSaved } from '../../store/saved';
import { Button } from '../../components/Button';
import { DialogActions } from '../../components/DialogActions';
import type { Editing } from './shared';

export function EditDialog({ editing, onClose }: { editing: NonNullable<Editing>; onClose: () => void }) {
  const current = editing.mode === 'edit' ? editing.connection : undefined;
  const [name, setName] = useState(current?.name ?? '');
  const [uri, setUri] = useState(current?.redactedUri ?? '');
  const [favourite, setFavourite] = useState(current?.favourite ?? false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const uriId = useId();
  const nameId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!uri.trim()) return setError('Enter a connection string.');
    setBusy(true);
    setError(undefined);
    try {
      if (current) {
        const uriChanged = uri.trim() !== current.redactedUri;
        await useSaved.getState().update(current.id, { name, favourite, ...(uriChanged ? { uri } : {}) });
        // A Test result is about the address it tested: once the connection string changes it no longer applies.
        if (uriChanged) useSaved.getState().forgetTest(current.id);
      } else await useSaved.getState().add(uri, name, favourite);
      onClose();
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog title={current ? `Edit ${current.name}` : 'Add connection'} onDismiss={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={uriId}>Connection string</label>
          <input
            id={uriId}
            className="input input-mono"
            value={uri}
            onChange={(e) => setUri(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            data-autofocus
          />
          <p className="field-help">
            {current
              ? 'Leave **** to keep the stored password (on the same server: a new host, port, scheme or authentication asks for it again).'
              : 'mongodb://, mongodb+srv://, postgres://, mysql://, or a Versia account (versia://user:TOKEN@instance).'}
          </p>
        </div>
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input
            id={nameId}
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            autoComplete="off"
          />
        </div>
        <label className="field-checkbox">
          <input type="checkbox" checked={favourite} onChange={(e) => setFavourite(e.target.checked)} /> Favourite
        </label>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {current ? 'Save changes' : 'Save connection'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
