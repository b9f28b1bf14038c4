/**
 * Saved connections: name, kind, host, favourite and last use, with add, edit, duplicate, delete,
 * test (a clear classified error) and connect; import connection files and export a .cutover file.
 * Passwords never reach this window: edits show **** for a stored secret and keep it unless changed.
 * The dialogs are beside it (EditDialog.tsx, ExportDialog.tsx).
 */
import { useEffect, useRef, useState } from 'react';
import type { SavedConnection } from '../../../../preload/contract';
import { messageOf } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon, KIND_ICON } from '../../components/Icon';
import { formatTimestamp } from '../../format';
import { useConnections } from '../../store/connections';
import { useIntake } from '../../store/intake';
import { sortedSaved, useSaved } from '../../store/saved';
import { useUi } from '../../store/ui';
import { Button } from '../../components/Button';
import { Alert } from '../../components/Alert';
import { DialogActions } from '../../components/DialogActions';
import { KIND_LABEL, type Editing } from './shared';
import { EditDialog } from './EditDialog';
import { ExportDialog } from './ExportDialog';

export function SavedConnectionsScreen() {
  const saved = useSaved((s) => s.saved);
  const loadState = useSaved((s) => s.list);
  const reload = useSaved((s) => s.load);
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
          <Button variant="primary" onClick={() => setEditing({ mode: 'add' })}>
            <Icon name="plus" className="inline-icon" /> Add connection
          </Button>
          <Button onClick={() => fileInput.current?.click()}>Import connections…</Button>
          <Button disabled={!chosenExisting.length} onClick={() => setExporting(true)}>
            Export{chosenExisting.length ? ` ${chosenExisting.length}` : ''}…
          </Button>
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

      {loadState.status === 'error' && (
        <Alert title="Could not read the saved connections" message={loadState.message} onRetry={() => void reload()} />
      )}

      {list.length === 0 ? (
        <p className="empty card">
          No saved connections yet. Add one, import a file (Compass exports, .cutover files, lists of connection
          strings, .env files), or drop files on the window.
        </p>
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
                        onChange={(e) =>
                          setChosen((c) =>
                            e.target.checked ? [...c, connection.id] : c.filter((id) => id !== connection.id),
                          )
                        }
                      />
                    </td>
                    <th scope="row">
                      <button
                        type="button"
                        className="icon-button"
                        aria-pressed={connection.favourite}
                        aria-label={`Favourite ${connection.name}`}
                        title={connection.favourite ? 'Favourite' : 'Mark as favourite'}
                        onClick={() =>
                          act(connection.id, () => update(connection.id, { favourite: !connection.favourite }))
                        }
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
                        <Button
                          variant="primary"
                          disabled={connecting === connection.id}
                          aria-label={`Connect to ${connection.name}`}
                          onClick={() => void doConnect(connection)}
                        >
                          {connecting === connection.id ? 'Connecting…' : 'Connect'}
                        </Button>
                        <Button
                          aria-label={`Test ${connection.name}`}
                          disabled={state?.status === 'testing'}
                          onClick={() => void test(connection.id)}
                        >
                          Test
                        </Button>
                        <Button
                          variant="quiet"
                          aria-label={`Edit ${connection.name}`}
                          onClick={() => setEditing({ mode: 'edit', connection })}
                        >
                          Edit
                        </Button>
                        <Button
                          variant="quiet"
                          aria-label={`Duplicate ${connection.name}`}
                          onClick={() => act(connection.id, () => duplicate(connection.id))}
                        >
                          Duplicate
                        </Button>
                        <Button
                          variant="danger-quiet"
                          aria-label={`Delete ${connection.name}`}
                          onClick={() => setDeleting(connection)}
                        >
                          Delete
                        </Button>
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
          <p className="dialog-text">
            The saved connection and its stored password are removed from this computer. Servers are not touched.
          </p>
          <DialogActions>
            <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            <Button
              variant="danger"
              onClick={() => {
                const id = deleting.id;
                setDeleting(undefined);
                act(id, () => remove(id));
              }}
            >
              Delete
            </Button>
          </DialogActions>
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
