/**
 * See the data: a selected collection's count, size, indexes and a page of its documents (canonical
 * Extended JSON, so types show: {"$numberLong": "1"}), read-only with paging; a selected database's
 * collections with their counts and sizes.
 */
import { useEffect, useState } from 'react';
import type { CallResponse, DatabaseInfo } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { formatBytes, formatCount, plural } from '../format';
import type { Load } from '../load';
import { Button } from './Button';
import { Alert } from './Alert';

const PAGE = 20;

type CollectionData = CallResponse<'data.collection'>;

export function CollectionView({
  connectionId,
  databaseName,
  collectionName,
}: {
  connectionId: string;
  databaseName: string;
  collectionName: string;
}) {
  const [skip, setSkip] = useState(0);
  const [load, setLoad] = useState<Load<CollectionData>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLoad({ status: 'loading' });
    api()
      .call('data.collection', { connectionId, databaseName, collectionName, skip, limit: PAGE })
      .then((data) => live && setLoad({ status: 'ready', value: data }))
      .catch((error: unknown) => live && setLoad({ status: 'error', message: messageOf(error) }));
    return () => {
      live = false;
    };
  }, [connectionId, databaseName, collectionName, skip, attempt]);

  const data = load.status === 'ready' ? load.value : undefined;
  const last = data ? Math.min(data.count, skip + data.documents.length) : 0;
  return (
    <section
      className="card data-view"
      aria-labelledby="data-heading"
      aria-busy={load.status === 'loading' || undefined}
    >
      <div className="card-header">
        <h2 id="data-heading">
          <span className="mono">{collectionName}</span>
        </h2>
        {data && (
          <span className="muted">
            {plural(data.count, 'document')}
            {data.size !== undefined ? ` · ${formatBytes(data.size)}` : ''}
            {data.avgDocSize !== undefined ? ` · ${formatBytes(data.avgDocSize)} on average` : ''}
          </span>
        )}
      </div>
      {load.status === 'error' && (
        <Alert
          title={
            <>
              Could not read {databaseName}.{collectionName}
            </>
          }
          message={load.message}
          onRetry={() => setAttempt((n) => n + 1)}
        />
      )}
      {load.status === 'loading' && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Reading documents…
        </p>
      )}
      {data && (
        <>
          <h3 className="data-subheading">{plural(data.indexes.length, 'index', 'indexes')}</h3>
          <ul className="index-list" role="list" aria-label="Indexes">
            {data.indexes.map((index) => (
              <li key={index.name}>
                <span className="mono">{index.name}</span> <span className="muted mono">{index.keys}</span>
                {index.unique ? <span className="pill">unique</span> : null}
              </li>
            ))}
          </ul>
          <div className="data-pager">
            <h3 className="data-subheading">
              Documents{' '}
              {data.count ? `${formatCount(skip + 1)}–${formatCount(last)} of ${formatCount(data.count)}` : ''}
            </h3>
            <div className="header-actions">
              <Button disabled={skip === 0} onClick={() => setSkip(Math.max(0, skip - PAGE))}>
                Previous page
              </Button>
              <Button disabled={last >= data.count} onClick={() => setSkip(skip + PAGE)}>
                Next page
              </Button>
            </div>
          </div>
          {data.documents.length === 0 ? (
            <p className="empty">This collection has no documents.</p>
          ) : (
            <ol className="document-list" aria-label="Documents (Extended JSON, read-only)" start={skip + 1}>
              {data.documents.map((text, index) => (
                <li key={skip + index}>
                  <pre className="document" tabIndex={0} aria-label={`Document ${formatCount(skip + index + 1)}`}>
                    {text}
                  </pre>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

/** A database: its collections with counts and sizes (what the tree already read). */
export function DatabaseView({ database }: { database: DatabaseInfo }) {
  return (
    <section className="card data-view" aria-labelledby="db-heading">
      <div className="card-header">
        <h2 id="db-heading">
          <span className="mono">{database.name}</span>
        </h2>
        <span className="muted">
          {plural(database.collections.length, 'collection')}
          {database.sizeOnDisk !== undefined ? ` · ${formatBytes(database.sizeOnDisk)} on disk` : ''}
        </span>
      </div>
      {database.collections.length === 0 ? (
        <p className="empty">This database has no collections.</p>
      ) : (
        <table className="table" aria-label={`Collections of ${database.name}`}>
          <thead>
            <tr>
              <th scope="col">Collection</th>
              <th scope="col" className="num">
                Documents
              </th>
              <th scope="col" className="num">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {database.collections.map((c) => (
              <tr key={c.name}>
                <th scope="row" className="mono">
                  {c.name}
                  {c.type !== 'collection' ? <span className="muted"> ({c.type})</span> : null}
                </th>
                <td className="num">{c.count !== undefined ? formatCount(c.count) : '–'}</td>
                <td className="num">{c.size !== undefined ? formatBytes(c.size) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
