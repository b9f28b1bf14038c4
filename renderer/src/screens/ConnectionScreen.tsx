/** Browse a connection: its databases and collections; select where to migrate from. */
import { useEffect, useState } from 'react';
import { messageOf } from '../api';
import { describeSelection, useConnections } from '../store/connections';
import { useMigrate } from '../store/migrate';
import { useUi } from '../store/ui';
import { DatabaseTree } from '../components/DatabaseTree';
import { CollectionView, DatabaseView } from '../components/DataView';
import { formatBytes, plural } from '../format';
import { Button } from '../components/Button';
import { Alert } from '../components/Alert';

const KIND_LABEL = {
  mongodb: 'MongoDB',
  postgres: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
  versia: 'Versia account',
  file: 'File',
} as const;

export function ConnectionScreen({ connectionId }: { connectionId: string }) {
  const connection = useConnections((s) => s.connections.find((c) => c.id === connectionId));
  const connections = useConnections((s) => s.connections);
  const browse = useConnections((s) => s.browse[connectionId]);
  const loadBrowse = useConnections((s) => s.loadBrowse);
  const selection = useConnections((s) => s.selection);
  const select = useConnections((s) => s.select);
  const close = useConnections((s) => s.close);
  const begin = useMigrate((s) => s.begin);
  const navigate = useUi((s) => s.navigate);
  const [closeError, setCloseError] = useState<string>();

  // Only database servers have databases and collections to browse (a Versia account has none).
  const browsable = connection?.kind === 'mongodb';
  useEffect(() => {
    if (!browse && connection && browsable) void loadBrowse(connectionId);
  }, [browse, connection, browsable, connectionId, loadBrowse]);

  useEffect(() => {
    if (selection.connectionId !== connectionId) select({ connectionId });
  }, [connectionId, selection.connectionId, select]);

  if (!connection) {
    return (
      <div className="screen">
        <p className="alert alert-error" role="alert">
          This connection is no longer open.
        </p>
        <Button onClick={() => navigate({ name: 'connect' })}>New connection</Button>
      </div>
    );
  }

  const selectedText = selection.connectionId === connectionId ? describeSelection(selection, connections) : undefined;
  const totalSize =
    browse?.status === 'ready' && browse.value.some((db) => db.sizeOnDisk !== undefined)
      ? browse.value.reduce((sum, db) => sum + (db.sizeOnDisk ?? 0), 0)
      : undefined;

  const disconnect = async () => {
    setCloseError(undefined);
    try {
      await close(connectionId);
      navigate({ name: 'connect' });
    } catch (error) {
      setCloseError(messageOf(error));
    }
  };

  return (
    <div className="screen screen-connection">
      <header className="screen-header screen-header-row">
        <div>
          <p className="eyebrow">{KIND_LABEL[connection.kind]}</p>
          <h1>{connection.name}</h1>
          <p className="muted mono" title="Connection string (password hidden)">
            {connection.redactedUri}
          </p>
        </div>
        <div className="header-actions">
          {browsable && (
            <Button onClick={() => void loadBrowse(connectionId)} disabled={browse?.status === 'loading'}>
              Refresh
            </Button>
          )}
          <Button variant="quiet" onClick={() => void disconnect()}>
            Disconnect
          </Button>
        </div>
      </header>
      {closeError && (
        <p className="alert alert-error" role="alert">
          Could not disconnect: {closeError}
        </p>
      )}

      <div className="selection-bar card">
        <div className="selection-text" aria-live="polite">
          <span className="muted">Selected: </span>
          <strong className="mono">{selectedText ?? connection.name}</strong>
          {!selection.databaseName && browsable && (
            <span className="muted"> (whole connection. Select a database or collection to narrow it)</span>
          )}
        </div>
        <Button variant="primary" onClick={() => void begin()}>
          Migrate…
        </Button>
      </div>

      {!browsable && (
        <section className="card" aria-labelledby="nobrowse-heading">
          <h2 id="nobrowse-heading">{KIND_LABEL[connection.kind]}</h2>
          <p className="muted">
            There is nothing to browse in this connection: choose Migrate… to see what Cutover can do with it.
          </p>
        </section>
      )}
      {browsable && (
        <section
          className="card browse"
          aria-labelledby="browse-heading"
          aria-busy={browse?.status === 'loading' || undefined}
        >
          <div className="card-header">
            <h2 id="browse-heading">Databases</h2>
            {browse?.status === 'ready' && (
              <span className="muted">
                {plural(browse.value.length, 'database')}
                {totalSize !== undefined ? ` · ${formatBytes(totalSize)} on disk` : ''}
              </span>
            )}
          </div>
          {(!browse || browse.status === 'loading') && (
            <p className="loading" role="status">
              <span className="spinner" aria-hidden="true" /> Loading databases…
            </p>
          )}
          {browse?.status === 'error' && (
            <Alert
              title={<>Could not load the databases of {connection.name}</>}
              message={browse.message}
              onRetry={() => void loadBrowse(connectionId)}
            />
          )}
          {browse?.status === 'ready' &&
            (browse.value.length === 0 ? (
              <p className="empty">This server has no databases you can read yet.</p>
            ) : (
              <DatabaseTree
                label={`Databases on ${connection.name}`}
                databases={browse.value}
                selection={selection.connectionId === connectionId ? selection : {}}
                onSelect={(tree) => select({ connectionId, ...tree })}
              />
            ))}
        </section>
      )}
      {browsable && selection.connectionId === connectionId && selection.databaseName && selection.collectionName && (
        <CollectionView
          key={`${selection.databaseName}.${selection.collectionName}`}
          connectionId={connectionId}
          databaseName={selection.databaseName}
          collectionName={selection.collectionName}
        />
      )}
      {browsable &&
        selection.connectionId === connectionId &&
        selection.databaseName &&
        !selection.collectionName &&
        browse?.status === 'ready' &&
        (() => {
          const database = browse.value.find((db) => db.name === selection.databaseName);
          return database ? <DatabaseView database={database} /> : null;
        })()}
    </div>
  );
}
