/** Connect: paste a connection string (or drop a connection file anywhere on the window). */
import { useId, useState, type FormEvent } from 'react';
import { messageOf } from '../api';
import { useConnections } from '../store/connections';
import { useUi } from '../store/ui';
import { Icon } from '../components/Icon';
import { Button } from '../components/Button';

export function ConnectScreen() {
  const [uri, setUri] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const open = useConnections((s) => s.open);
  const select = useConnections((s) => s.select);
  const navigate = useUi((s) => s.navigate);
  const uriId = useId();
  const nameId = useId();
  const helpId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!uri.trim()) {
      setError('Enter a connection string, for example mongodb://localhost:27017/.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const connection = await open(uri, name);
      setUri('');
      setName('');
      select({ connectionId: connection.id });
      navigate({ name: 'connection', connectionId: connection.id });
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen screen-connect">
      <header className="screen-header">
        <h1>Connect to your data</h1>
        <p className="lede">Paste a connection string, or drop connection files anywhere on this window.</p>
      </header>

      <form className="card connect-form" onSubmit={submit} noValidate aria-label="New connection">
        <div className="field">
          <label htmlFor={uriId}>Connection string</label>
          <input
            id={uriId}
            className="input input-mono"
            type="text"
            value={uri}
            onChange={(e) => setUri(e.target.value)}
            placeholder="mongodb+srv://user:password@cluster.example.net/"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            data-initial-focus
            aria-describedby={error ? `${helpId} ${errorId}` : helpId}
            aria-invalid={error ? true : undefined}
          />
          <p id={helpId} className="field-help">
            MongoDB (<code>mongodb://</code>, <code>mongodb+srv://</code>), PostgreSQL, MySQL/MariaDB, or a Versia
            account. Passwords stay on this computer.
          </p>
        </div>
        <div className="field">
          <label htmlFor={nameId}>
            Name <span className="optional">(optional)</span>
          </label>
          <input
            id={nameId}
            className="input"
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Production cluster"
            autoComplete="off"
            maxLength={200}
          />
        </div>
        {error && (
          <p id={errorId} className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? (
              <>
                <span className="spinner" aria-hidden="true" /> Connecting…
              </>
            ) : (
              'Connect'
            )}
          </Button>
        </div>
      </form>

      <div className="drop-hint" aria-hidden="true">
        <Icon name="drop" className="drop-hint-icon" /> Drop connection files here, or anywhere on the window
      </div>
    </div>
  );
}
