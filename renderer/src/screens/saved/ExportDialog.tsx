/** Exporting chosen saved connections to a .cutover file, with their passwords under a passphrase or without. */
import { type FormEvent, useId, useState } from 'react';
import { messageOf } from '../../api';
import { Dialog } from '../../components/Dialog';
import { useSaved } from '../../store/saved';
import { Button } from '../../components/Button';
import { DialogActions } from '../../components/DialogActions';

export function ExportDialog({ ids, onClose }: { ids: string[]; onClose: (outcome?: string) => void }) {
  const [withSecrets, setWithSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const passId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (withSecrets && passphrase.length < 8) return setError('Use a passphrase of at least 8 characters.');
    setBusy(true);
    try {
      onClose(await useSaved.getState().exportFile(ids, withSecrets ? passphrase : undefined));
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Export ${ids.length} connection${ids.length === 1 ? '' : 's'}`} onDismiss={() => onClose()}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="dialog-text">
          Writes a .cutover file; Cutover asks where to save it (and, with passwords, asks you to confirm) in its own
          dialog. Without a passphrase, passwords and tokens are left out.
        </p>
        <label className="field-checkbox">
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} /> Include
          passwords, encrypted with a passphrase
        </label>
        {withSecrets && (
          <div className="field">
            <label htmlFor={passId}>Passphrase</label>
            <input
              id={passId}
              className="input"
              type="password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="new-password"
            />
            <p className="field-help">At least 8 characters. Whoever imports the file needs it.</p>
          </div>
        )}
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <DialogActions>
          <Button onClick={() => onClose()}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            Export
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
