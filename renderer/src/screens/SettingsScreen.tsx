/**
 * Settings (automatic update checks, the update channel; kept by the core in the data folder) and the
 * update notice shown above every screen: "Cutover 0.2.0 is available", its release notes, the download's
 * progress, then "Restart to update" (which goes through the host's quit flow: running jobs are asked
 * about and stopped cleanly first). On a .deb install the notice offers "Download" (the release page).
 */
import { useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import type { Settings, UpdateState } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { Dialog } from '../components/Dialog';
import { ProgressBar } from '../components/ProgressBar';
import { announce } from '../store/announcer';
import { formatTimestamp } from '../format';
import { Button } from '../components/Button';
import { Alert } from '../components/Alert';
import { IDLE, LOADING, failed, ready, type Load } from '../load';

interface UpdateStore {
  state?: UpdateState;
  settings?: Settings;
  settingsProblem?: string;
  /** Whether the update state and the settings have been read (they stay in the fields above). */
  loaded: Load<true>;
  /** The notice was closed for this version. */
  dismissed?: string;
  set(state: UpdateState): void;
  /** Reads the update state and the settings; a failure is kept in `loaded`, never thrown. */
  load(): Promise<void>;
}

export const useUpdate = create<UpdateStore>((set) => ({
  loaded: IDLE,
  set: (state) => set({ state }),
  async load() {
    set({ loaded: LOADING });
    try {
      const client = api();
      const [state, { settings, problem }] = await Promise.all([
        client.call('update.state', {}),
        client.call('settings.get', {}),
      ]);
      set({ state, settings, settingsProblem: problem, loaded: ready(true as const) });
    } catch (error) {
      set({ loaded: failed(error) });
    }
  },
}));

/** Subscribes to update.changed and loads the current state; returns the unsubscribe. */
export function wireUpdates(): () => void {
  const off = api().on('update.changed', (state) => {
    useUpdate.getState().set(state);
    if (state.state === 'available') announce(`Cutover ${state.version} is available.`);
    if (state.state === 'ready') announce(`Cutover ${state.version} is ready: restart to update.`);
  });
  void useUpdate.getState().load();
  return off;
}

const versionOf = (state?: UpdateState) => (state && 'version' in state ? state.version : undefined);

export function UpdateNotice() {
  const state = useUpdate((s) => s.state);
  const dismissed = useUpdate((s) => s.dismissed);
  const [error, setError] = useState<string>();
  const [confirm, setConfirm] = useState<number>();
  const notesId = useId();
  if (!state || (state.state !== 'available' && state.state !== 'downloading' && state.state !== 'ready')) return null;
  if (dismissed === state.version) return null;

  const install = async (stopRunningJobs = false) => {
    setError(undefined);
    try {
      const result = await api().call('update.install', { stopRunningJobs });
      if (result.outcome === 'jobs-running') setConfirm(result.activeJobs);
      else setConfirm(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const run = (call: 'update.download' | 'update.openReleasePage') => async () => {
    setError(undefined);
    try {
      await api().call(call, {});
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section
      className="alert alert-info update-notice"
      role="status"
      aria-label="Update"
      data-testid="update-notice"
      style={{ marginBottom: 16 }}
    >
      <p className="alert-title-info">
        <strong>Cutover {state.version} is available</strong>
        {state.state === 'ready' && (state.restarting ? ' · restarting…' : ' · downloaded, ready to install')}
      </p>
      {state.releaseNotes && (
        <details>
          <summary>Release notes</summary>
          <p id={notesId} style={{ whiteSpace: 'pre-wrap' }} data-testid="release-notes">
            {state.releaseNotes}
          </p>
        </details>
      )}
      {state.state === 'downloading' && (
        <ProgressBar label={`Downloading Cutover ${state.version}`} percent={state.percent} />
      )}
      {error && <p className="field-error">{error}</p>}
      <div className="form-actions">
        {state.state === 'available' && state.install === 'download' && (
          <Button variant="primary" onClick={run('update.openReleasePage')}>
            Download
          </Button>
        )}
        {state.state === 'available' && state.install === 'in-place' && (
          <Button variant="primary" onClick={run('update.download')}>
            Download and install
          </Button>
        )}
        {state.state === 'ready' && !state.restarting && (
          <Button variant="primary" onClick={() => void install()}>
            Restart to update
          </Button>
        )}
        {state.state !== 'downloading' && !(state.state === 'ready' && state.restarting) && (
          <Button variant="quiet" onClick={() => useUpdate.setState({ dismissed: versionOf(state) })}>
            Later
          </Button>
        )}
      </div>
      {confirm !== undefined && (
        <Dialog title="Restart to update?" tone="warning" onDismiss={() => setConfirm(undefined)}>
          <p>{confirm === 1 ? 'A job is still running.' : `${confirm} jobs are still running.`}</p>
          <p>Restarting stops them. A copy or an import can be resumed later from History, where it stopped.</p>
          <div className="form-actions">
            <Button data-autofocus onClick={() => setConfirm(undefined)}>
              Keep running
            </Button>
            <Button variant="danger" onClick={() => void install(true)}>
              Stop and restart
            </Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function describe(state?: UpdateState): string {
  if (!state) return '';
  switch (state.state) {
    case 'idle':
      return state.lastCheckedAt
        ? `Cutover is up to date (checked ${formatTimestamp(state.lastCheckedAt)}).`
        : 'Not checked yet.';
    case 'checking':
      return 'Checking for updates…';
    case 'available':
      return `Cutover ${state.version} is available.`;
    case 'downloading':
      return `Downloading Cutover ${state.version}: ${state.percent}%.`;
    case 'ready':
      return `Cutover ${state.version} is downloaded: restart to update.`;
    case 'error':
      return state.message;
    case 'disabled':
      return state.reason;
  }
}

export function SettingsScreen() {
  const state = useUpdate((s) => s.state);
  const settings = useUpdate((s) => s.settings);
  const problem = useUpdate((s) => s.settingsProblem);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const loaded = useUpdate((s) => s.loaded);
  useEffect(() => {
    void useUpdate.getState().load();
  }, []);

  const change = async (updates: Partial<Settings['updates']>) => {
    setError(undefined);
    // Shown at once (a checkbox answers its click), then what the core kept; put back if it refused.
    const before = useUpdate.getState().settings;
    if (before) useUpdate.setState({ settings: { ...before, updates: { ...before.updates, ...updates } } });
    try {
      const result = await api().call('settings.update', { updates });
      useUpdate.setState({ settings: result.settings });
      announce('Settings saved.');
    } catch (e) {
      if (before) useUpdate.setState({ settings: before });
      setError(messageOf(e));
    }
  };
  const checkNow = async () => {
    setBusy(true);
    setError(undefined);
    try {
      useUpdate.getState().set(await api().call('update.check', {}));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen screen-settings">
      <header className="screen-header">
        <h1>Settings</h1>
        <p className="lede">Kept in Cutover’s data folder.</p>
      </header>
      {problem && (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">The settings file is not used</p>
          <p>{problem}</p>
        </div>
      )}
      <section className="card" aria-labelledby="settings-updates">
        <h2 id="settings-updates">Updates</h2>
        {settings ? (
          <>
            <div className="field field-checkbox">
              <input
                id="settings-automatic"
                type="checkbox"
                checked={settings.updates.automatic}
                onChange={(e) => void change({ automatic: e.target.checked })}
              />
              <label htmlFor="settings-automatic">Check for updates automatically</label>
              <p className="field-help">
                At start and every 4 hours. Off: Cutover only checks when you press Check now.
              </p>
            </div>
            <div className="field">
              <label htmlFor="settings-channel">Channel</label>
              <select
                id="settings-channel"
                value={settings.updates.channel}
                onChange={(e) => void change({ channel: e.target.value as Settings['updates']['channel'] })}
              >
                <option value="stable">Stable</option>
                <option value="beta">Beta (earlier versions, less tested)</option>
              </select>
            </div>
          </>
        ) : loaded.status === 'error' ? (
          <Alert
            title="Could not read the settings"
            message={loaded.message}
            onRetry={() => void useUpdate.getState().load()}
          />
        ) : (
          <p className="loading" role="status">
            <span className="spinner" aria-hidden="true" /> Loading…
          </p>
        )}
        <p role="status" data-testid="update-status">
          {describe(state)}
        </p>
        <div className="form-actions">
          <Button disabled={busy || state?.state === 'disabled'} onClick={() => void checkNow()}>
            Check now
          </Button>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </section>
    </div>
  );
}
