/**
 * Saved connections: name, kind, host, favourite and last use, with add, edit, duplicate, delete,
 * test (a clear classified error) and connect; import connection files and export a .cutover file.
 * Passwords never reach this window: edits show **** for a stored secret and keep it unless changed.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SavedConnection } from '../../../preload/contract';
import { messageOf } from '../api';
import { Dialog } from '../components/Dialog';
import { Icon, KIND_ICON } from '../components/Icon';
import { formatTimestamp } from '../format';
import { useConnections } from '../store/connections';
import { useIntake } from '../store/intake';
import { sortedSaved, useSaved } from '../store/saved';
import { useUi } from '../store/ui';

const KIND_LABEL = { mongodb: 'MongoDB', postgres: 'PostgreSQL', mysql: 'MySQL / MariaDB', versia: 'Versia', file: 'File' } as const;

type Editing = { mode: 'add' } | { mode: 'edit'; connection: SavedConnection } | undefined;

export function SavedConnectionsScreen() {
  const saved = useSaved((s) => s.saved);
  const error = useSaved((s) => s.error);
  const tests = useSaved((s) => s.tests);
  const { load, update, duplicate, remove, test, connect } = useSaved.getState();
  const intakeFiles = useIntake((s) => s.intakeFiles);
  const select = useConnections((s) => s.select);
  const navigate = useUi((s) => s.navigate);
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<SavedConnection>();
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [rowError, setRowError] = useState<{ id: string; message: string }>();
  const [connecting, setConnecting] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const list = sortedSaved(saved);
  const chosenExisting = chosen.filter((id) => saved.some((s) => s.id === id));

  const doConnect = async (connection: SavedConnection) => {
    setConnecting(connection.id);
    setRowError(undefined);
    try {
      const opened = await connect(connection.id);
      select({ connectionId: opened.id });
      navigate({ name: 'connection', connectionId: opened.id });
    } catch (caught) {
      setRowError({ id: connection.id, message: messageOf(caught) });
    } finally {
      setConnecting(undefined);
    }
  };

  const act = (id: string, run: () => Promise<unknown>) => {
    setRowError(undefined);
    run().catch((caught: unknown) => setRowError({ id, message: messageOf(caught) }));
  };

  return (
    <div className="screen screen-saved">
      <header className="screen-header screen-header-row">
        <div>
          <h1>Saved connections</h1>
          <p className="lede">Kept on this computer; passwords are encrypted by the system keychain and never shown.</p>
        </div>
        <div className="header-actions">
          <button type="button" className="button button-primary" onClick={() => setEditing({ mode: 'add' })}>
            <Icon name="plus" className="inline-icon" /> Add connection
          </button>
          <button type="button" className="button" onClick={() => fileInput.current?.click()}>
            Import connections…
          </button>
          <button type="button" className="button" disabled={!chosenExisting.length} onClick={() => setExporting(true)}>
            Export{chosenExisting.length ? ` ${chosenExisting.length}` : ''}…
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            accept=".cutover,.json,.txt,.env,.uri"
            data-testid="import-input"
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              void intakeFiles(files);
            }}
          />
        </div>
      </header>

      {exported && (
        <p className="alert alert-info" role="status">
          {exported}
        </p>
      )}

      {error && (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Could not read the saved connections</p>
          <p>{error}</p>
        </div>
      )}

      {list.length === 0 ? (
        <p className="empty card">No saved connections yet. Add one, import a file (Compass exports, .cutover files, lists of connection strings, .env files), or drop files on the window.</p>
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Saved connections">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Choose all for export"
                    checked={chosenExisting.length === list.length}
                    onChange={(e) => setChosen(e.target.checked ? list.map((c) => c.id) : [])}
                  />
                </th>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Host</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((connection) => {
                const state = tests[connection.id];
                return (
                  <tr key={connection.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Choose ${connection.name} for export`}
                        checked={chosen.includes(connection.id)}
                        onChange={(e) => setChosen((c) => (e.target.checked ? [...c, connection.id] : c.filter((id) => id !== connection.id)))}
                      />
                    </td>
                    <th scope="row">
                      <button
                        type="button"
                        className="icon-button"
                        aria-pressed={connection.favourite}
                        aria-label={`Favourite ${connection.name}`}
                        title={connection.favourite ? 'Favourite' : 'Mark as favourite'}
                        onClick={() => act(connection.id, () => update(connection.id, { favourite: !connection.favourite }))}
                      >
                        {connection.favourite ? '★' : '☆'}
                      </button>{' '}
                      {connection.name}
                      <div className="muted mono saved-uri" title={connection.redactedUri}>
                        {connection.redactedUri}
                      </div>
                      {state?.status === 'testing' && (
                        <p role="status" className="muted">
                          <span className="spinner spinner-inline" aria-hidden="true" /> Testing…
                        </p>
                      )}
                      {state?.status === 'done' && (
                        <p role={state.ok ? 'status' : 'alert'} className={state.ok ? 'field-help' : 'field-error'}>
                          {state.message}
                        </p>
                      )}
                      {rowError?.id === connection.id && (
                        <p role="alert" className="field-error">
                          {rowError.message}
                        </p>
                      )}
                    </th>
                    <td>
                      <Icon name={KIND_ICON[connection.kind]} className="inline-icon" /> {KIND_LABEL[connection.kind]}
                    </td>
                    <td>{connection.host}</td>
                    <td>{connection.lastUsed ? formatTimestamp(connection.lastUsed) : 'Never'}</td>
                    <td>
                      <div className="header-actions row-actions">
                        <button type="button" className="button button-primary" disabled={connecting === connection.id} aria-label={`Connect to ${connection.name}`} onClick={() => void doConnect(connection)}>
                          {connecting === connection.id ? 'Connecting…' : 'Connect'}
                        </button>
                        <button type="button" className="button" aria-label={`Test ${connection.name}`} disabled={state?.status === 'testing'} onClick={() => void test(connection.id)}>
                          Test
                        </button>
                        <button type="button" className="button button-quiet" aria-label={`Edit ${connection.name}`} onClick={() => setEditing({ mode: 'edit', connection })}>
                          Edit
                        </button>
                        <button type="button" className="button button-quiet" aria-label={`Duplicate ${connection.name}`} onClick={() => act(connection.id, () => duplicate(connection.id))}>
                          Duplicate
                        </button>
                        <button type="button" className="button button-danger-quiet" aria-label={`Delete ${connection.name}`} onClick={() => setDeleting(connection)}>
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {editing && <EditDialog editing={editing} onClose={() => setEditing(undefined)} />}
      {deleting && (
        <Dialog title={`Delete ${deleting.name}?`} tone="danger" onDismiss={() => setDeleting(undefined)}>
          <p className="dialog-text">The saved connection and its stored password are removed from this computer. Servers are not touched.</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setDeleting(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                const id = deleting.id;
                setDeleting(undefined);
                act(id, () => remove(id));
              }}
            >
              Delete
            </button>
          </div>
        </Dialog>
      )}
      {exporting && (
        <ExportDialog
          ids={chosenExisting}
          onClose={(outcome) => {
            setExporting(false);
            if (outcome) setExported(outcome);
          }}
        />
      )}
    </div>
  );
}

function EditDialog({ editing, onClose }: { editing: NonNullable<Editing>; onClose: () => void }) {
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
          <input id={uriId} className="input input-mono" value={uri} onChange={(e) => setUri(e.target.value)} spellCheck={false} autoComplete="off" data-autofocus />
          <p className="field-help">{current ? 'Leave **** to keep the stored password (on the same server: a new host, port, scheme or authentication asks for it again).' : 'mongodb://, mongodb+srv://, postgres://, mysql://, or a Versia account (versia://user:TOKEN@instance).'}</p>
        </div>
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input id={nameId} className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoComplete="off" />
        </div>
        <label className="field-checkbox">
          <input type="checkbox" checked={favourite} onChange={(e) => setFavourite(e.target.checked)} /> Favourite
        </label>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {current ? 'Save changes' : 'Save connection'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ExportDialog({ ids, onClose }: { ids: string[]; onClose: (outcome?: string) => void }) {
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
          Writes a .cutover file; Cutover asks where to save it (and, with passwords, asks you to confirm) in its own dialog. Without a passphrase, passwords and tokens are left out.
        </p>
        <label className="field-checkbox">
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} /> Include passwords, encrypted with a passphrase
        </label>
        {withSecrets && (
          <div className="field">
            <label htmlFor={passId}>Passphrase</label>
            <input id={passId} className="input" type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" />
            <p className="field-help">At least 8 characters. Whoever imports the file needs it.</p>
          </div>
        )}
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Export
          </button>
        </div>
      </form>
    </Dialog>
  );
}
