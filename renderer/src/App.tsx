/** The window: sidebar + main pane, prompts as modal dialogs on top, file drops anywhere. */
import { useEffect, useRef } from 'react';
import { api, startApi, useApiStatus } from './api';
import { useConnections } from './store/connections';
import { useIntake } from './store/intake';
import { useSaved } from './store/saved';
import { useJobs } from './store/jobs';
import { usePrompts } from './store/prompts';
import { useUi } from './store/ui';
import { Sidebar } from './components/Sidebar';
import { DropOverlay } from './components/DropOverlay';
import { LiveRegion } from './components/LiveRegion';
import { PromptHost, useModalPrompt } from './components/PromptDialog';
import { IntakeResults } from './components/IntakeResults';
import { ConnectScreen } from './screens/ConnectScreen';
import { ConnectionScreen } from './screens/ConnectionScreen';
import { MigrateScreen } from './screens/MigrateScreen';
import { JobScreen } from './screens/job/JobScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { SavedConnectionsScreen } from './screens/saved/SavedConnectionsScreen';
import { SettingsScreen, UpdateNotice, wireUpdates } from './screens/SettingsScreen';
import { ProvidersScreen } from './screens/ProvidersScreen';
import { announce } from './store/announcer';
import { Icon } from './components/Icon';
import { Button } from './components/Button';

/** Subscribes to the main side's events and loads what already exists. Returns the unsubscribe. */
function wireEvents(): () => void {
  const client = api();
  const offs = [
    client.on('job.updated', (snapshot) => useJobs.getState().upsert(snapshot)),
    client.on('job.prompt', (prompt) => usePrompts.getState().add(prompt)),
    client.on('job.promptClosed', ({ jobId, promptId }) => usePrompts.getState().remove(jobId, promptId)),
    client.on('file.opened', (result) => useIntake.getState().addResult(result)),
    client.on('connections.savedChanged', (saved) => useSaved.getState().set(saved)),
  ];
  void useSaved.getState().load();
  void useConnections
    .getState()
    .load()
    .then(() => {
      // Connections opened before the window (argv, file open): show the first one.
      const { connections } = useConnections.getState();
      const { view, navigate } = useUi.getState();
      if (connections.length && view.name === 'connect') {
        useConnections.getState().select({ connectionId: connections[0].id });
        navigate({ name: 'connection', connectionId: connections[0].id });
      }
    })
    .catch((error: unknown) => announce(`Could not list connections: ${String(error)}`));
  client
    .call('app.info', {})
    .then((info) => useUi.setState({ info }))
    .catch(() => undefined);
  void useJobs
    .getState()
    .load()
    .catch((error: unknown) => announce(`Could not list jobs: ${String(error)}`));
  offs.push(wireUpdates());
  return () => offs.forEach((off) => off());
}

function MainPane() {
  const view = useUi((s) => s.view);
  const mainRef = useRef<HTMLElement>(null);
  const viewKey =
    view.name === 'connection' ? `c:${view.connectionId}` : view.name === 'job' ? `j:${view.jobId}` : view.name;

  // Move focus to the new screen's heading so keyboard and screen-reader users follow navigation.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A screen that starts with a field to fill (New connection) focuses it; others their heading.
    const field = mainRef.current?.querySelector<HTMLElement>('[data-initial-focus]');
    if (field) return field.focus();
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [viewKey]);

  return (
    <main className="main" ref={mainRef}>
      <UpdateNotice />
      <IntakeResults />
      {view.name === 'connect' && <ConnectScreen />}
      {view.name === 'connection' && <ConnectionScreen key={view.connectionId} connectionId={view.connectionId} />}
      {view.name === 'migrate' && <MigrateScreen />}
      {view.name === 'job' && <JobScreen key={view.jobId} jobId={view.jobId} />}
      {view.name === 'history' && <HistoryScreen />}
      {view.name === 'saved' && <SavedConnectionsScreen />}
      {view.name === 'settings' && <SettingsScreen />}
      {view.name === 'providers' && <ProvidersScreen />}
    </main>
  );
}

export function App() {
  const status = useApiStatus();
  const dialogOpen = !!useModalPrompt();

  useEffect(() => {
    void startApi().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (status.state !== 'ready') return;
    return wireEvents();
  }, [status.state]);

  if (status.state === 'connecting') {
    return (
      <div className="splash" role="status" aria-live="polite">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="swap" size={32} />
        </span>
        <p>
          <span className="spinner" aria-hidden="true" /> Connecting…
        </p>
      </div>
    );
  }
  if (status.state === 'error') {
    return (
      <div className="splash">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="swap" size={32} />
        </span>
        <div className="alert alert-error splash-error" role="alert">
          <p className="alert-title">Cutover could not start this window</p>
          <p>{status.message}</p>
        </div>
        <Button onClick={() => void startApi().catch(() => undefined)}>Try again</Button>
      </div>
    );
  }

  return (
    <>
      <div className="app" inert={dialogOpen}>
        <Sidebar />
        <MainPane />
      </div>
      <PromptHost />
      <DropOverlay />
      <LiveRegion />
    </>
  );
}
