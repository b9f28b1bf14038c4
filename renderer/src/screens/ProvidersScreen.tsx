/**
 * Providers: the third-party migration providers installed in Cutover. Install one with Browse… (the
 * host's own Open dialog: the window names no path) or by dropping its `npm pack` tarball here (its
 * bytes go to the main side); enable, disable or remove it; see its publisher, version and declared
 * needs. Whether a provider may run is asked by the host the first time it is used, not here.
 */
import { useCallback, useEffect, useState, type DragEvent } from 'react';
import type { InstalledProviderSummary } from '../../../preload/contract';
import { api } from '../api';
import { announce } from '../store/announcer';
import { Icon } from '../components/Icon';
import { Button } from '../components/Button';
import { Alert } from '../components/Alert';
import { LOADING, failed, ready, type Load } from '../load';

const MAX_DROP_BYTES = 20 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function ProvidersScreen() {
  const [list, setList] = useState<Load<InstalledProviderSummary[]>>(LOADING);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState<string>();

  const load = useCallback(async () => {
    try {
      setList(ready(await api().call('providers.installed.list', {})));
    } catch (e) {
      setList(failed(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (work: () => Promise<string | undefined>) => {
    setBusy(true);
    setError(undefined);
    try {
      const said = await work();
      if (said) announce(said);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      await load();
    }
  };

  const browse = () =>
    act(async () => {
      const { installed } = await api().call('providers.installed.browse', {});
      return installed ? `Installed ${installed.label} ${installed.version}.` : undefined;
    });

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    event.stopPropagation();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    void act(async () => {
      if (!/\.(tgz|tar\.gz|tar)$/i.test(file.name))
        throw new Error(`${file.name} is not a provider tarball: drop the .tgz file that "npm pack" made.`);
      if (file.size > MAX_DROP_BYTES) throw new Error(`${file.name} is larger than ${MAX_DROP_BYTES / 1048576} MB.`);
      const installed = await api().call('providers.installed.drop', {
        fileName: file.name,
        base64: toBase64(new Uint8Array(await file.arrayBuffer())),
      });
      return `Installed ${installed.label} ${installed.version}.`;
    });
  };
  const onDrag = (event: DragEvent<HTMLElement>) => {
    if (!Array.from(event.dataTransfer.types).includes('Files')) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  return (
    <div className="screen screen-providers">
      <header className="screen-header">
        <h1>Providers</h1>
        <p className="lede">
          Migration providers from other publishers. Each runs in a process of its own, so a crash or a hang cannot take
          Cutover down, but it is not a security sandbox: install only providers you trust. Cutover asks before a
          provider runs for the first time.
        </p>
      </header>
      {error && (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      )}
      <section
        className={`card provider-drop${dragging ? ' provider-drop-active' : ''}`}
        aria-label="Install a provider"
        data-testid="provider-drop"
        onDragEnter={onDrag}
        onDragOver={onDrag}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Icon name="drop" size={24} />
        <p>Drop a provider tarball (.tgz from “npm pack”) here, or</p>
        <Button variant="primary" disabled={busy} onClick={() => void browse()}>
          Browse…
        </Button>
      </section>

      <h2>Installed</h2>
      {list.status === 'error' && (
        <Alert title="Could not list the installed providers" message={list.message} onRetry={() => void load()} />
      )}
      {list.status !== 'ready' ? (
        list.status !== 'error' && (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading…
          </p>
        )
      ) : list.value.length === 0 ? (
        <p>No providers installed yet.</p>
      ) : (
        <ul className="installed-providers" role="list">
          {list.value.map((p) => (
            <li key={p.id} className="card" aria-label={p.label}>
              <div className="card-header">
                <h3>
                  {p.label} <span className="mono">{p.version}</span>
                </h3>
                <span className="badge">
                  {p.blockedReason
                    ? 'Blocked by policy'
                    : !p.enabled
                      ? 'Disabled'
                      : p.allowed
                        ? 'Allowed'
                        : 'Not yet allowed'}
                </span>
              </div>
              <p>
                by <strong>{p.publisher}</strong> · <span className="mono">{p.id}</span>
                {p.shape === 'documentdb-v0.3' ? ' · DocumentDB v0.3 shape' : ''}
              </p>
              {p.description && <p>{p.description}</p>}
              <p>Works with: {p.connectionKinds.length ? p.connectionKinds.join(', ') : 'no connection'}</p>
              <ul aria-label={`What ${p.label} declares it needs`}>
                {p.needs.map((need) => (
                  <li key={need}>{need}</li>
                ))}
              </ul>
              {p.blockedReason && <p className="field-error">{p.blockedReason}</p>}
              <div className="form-actions">
                <Button
                  disabled={busy}
                  onClick={() =>
                    void act(
                      async () => (
                        await api().call('providers.installed.setEnabled', { id: p.id, enabled: !p.enabled }),
                        `${p.label} ${p.enabled ? 'disabled' : 'enabled'}.`
                      ),
                    )
                  }
                >
                  {p.enabled ? 'Disable' : 'Enable'}
                </Button>
                {confirmRemove === p.id ? (
                  <>
                    <Button
                      variant="danger"
                      disabled={busy}
                      onClick={() =>
                        void act(
                          async () => (
                            await api().call('providers.installed.remove', { id: p.id }),
                            setConfirmRemove(undefined),
                            `${p.label} removed.`
                          ),
                        )
                      }
                    >
                      Remove {p.label}
                    </Button>
                    <Button variant="quiet" onClick={() => setConfirmRemove(undefined)}>
                      Keep it
                    </Button>
                  </>
                ) : (
                  <Button variant="quiet" disabled={busy} onClick={() => setConfirmRemove(p.id)}>
                    Remove…
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
