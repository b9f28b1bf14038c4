/** Provider picker, then action picker (unless the provider is a direct action), then the job starts. */
import { useEffect, useRef } from 'react';
import type { PickItemDto, ProviderSummary } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { describeSelection, useConnections } from '../store/connections';
import { useMigrate } from '../store/migrate';
import { useUi } from '../store/ui';
import { announce } from '../store/announcer';
import { Icon } from '../components/Icon';
import { Alert } from '../components/Alert';

/** The built-in providers' icons, drawn like every other icon (a text glyph may be missing from the font). */
const PROVIDER_ICONS: Record<string, Parameters<typeof Icon>[0]['name']> = {
  'mongodb-copy': 'swap',
  files: 'file',
  relational: 'table',
  'versia-migration': 'user',
};

function ProviderIcon({ id, icon }: { id: string; icon?: string }) {
  if (icon?.startsWith('data:image/')) return <img className="provider-icon" src={icon} alt="" />;
  return (
    <span className="provider-icon" aria-hidden="true">
      <Icon name={PROVIDER_ICONS[id] ?? 'swap'} size={20} />
    </span>
  );
}

export function MigrateScreen() {
  const context = useMigrate((s) => s.context);
  const provider = useMigrate((s) => s.provider);
  const connections = useConnections((s) => s.connections);
  const navigate = useUi((s) => s.navigate);
  const backToProviders = useMigrate((s) => s.backToProviders);
  const where = describeSelection(context, connections);

  const goBack = () => {
    if (provider) backToProviders();
    else if (context.connectionId) navigate({ name: 'connection', connectionId: context.connectionId });
    else navigate({ name: 'connect' });
  };

  return (
    <div className="screen screen-migrate">
      <header className="screen-header">
        <button type="button" className="link-button back" onClick={goBack}>
          ← {provider ? 'All migrations' : 'Back'}
        </button>
        <h1>{provider ? provider.label : 'Choose a migration'}</h1>
        <p className="lede">
          {where ? (
            <>
              From <strong className="mono">{where}</strong>
            </>
          ) : (
            'No connection selected'
          )}
        </p>
      </header>
      {provider ? <ActionPicker provider={provider} /> : <ProviderPicker />}
    </div>
  );
}

function ProviderPicker() {
  const providers = useMigrate((s) => s.providers);
  const reload = useMigrate((s) => s.reloadProviders);
  const choose = useMigrate((s) => s.chooseProvider);
  const starting = useMigrate((s) => s.starting);
  const startError = useMigrate((s) => s.startError);

  if (providers.status === 'loading' || providers.status === 'idle') {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" /> Finding migrations for this selection…
      </p>
    );
  }
  if (providers.status === 'error') {
    return <Alert title="Could not list the migrations" message={providers.message} onRetry={() => void reload()} />;
  }
  const list = [...providers.value].sort((a, b) => Number(b.available) - Number(a.available));
  if (!list.length)
    return (
      <p className="empty">
        No migration applies to this selection. Select another connection, database or collection.
      </p>
    );
  return (
    <>
      {startError && (
        <p className="alert alert-error" role="alert">
          Could not start: {startError}
        </p>
      )}
      <ul className="provider-list" role="list" aria-label="Migrations">
        {list.map((p) => (
          <li key={p.id}>
            <ProviderCard provider={p} busy={starting === p.id} onChoose={() => void choose(p)} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ProviderCard({ provider, busy, onChoose }: { provider: ProviderSummary; busy: boolean; onChoose(): void }) {
  const reasonId = `provider-reason-${provider.id}`;
  const descId = `provider-desc-${provider.id}`;
  return (
    <button
      type="button"
      className={`option-card${provider.available ? '' : ' option-disabled'}`}
      aria-disabled={provider.available ? undefined : true}
      aria-describedby={provider.available ? descId : `${descId} ${reasonId}`}
      onClick={() => provider.available && onChoose()}
    >
      <ProviderIcon id={provider.id} icon={provider.icon} />
      <span className="option-body">
        <span className="option-label">
          {provider.label}
          {busy && <span className="spinner spinner-inline" aria-hidden="true" />}
        </span>
        <span id={descId} className="option-description">
          {provider.description}
        </span>
        {!provider.available && (
          <span id={reasonId} className="option-reason">
            <Icon name="ban" size={14} className="inline-icon" />
            {provider.unavailableReason ?? 'Not available for this selection.'}
          </span>
        )}
        {provider.requiresAuthentication && provider.available && <span className="option-tag">Needs sign-in</span>}
      </span>
    </button>
  );
}

function ActionPicker({ provider }: { provider: ProviderSummary }) {
  const actions = useMigrate((s) => s.actions);
  const choose = useMigrate((s) => s.chooseAction);
  const chooseProvider = useMigrate((s) => s.chooseProvider);
  const starting = useMigrate((s) => s.starting);
  const startError = useMigrate((s) => s.startError);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (actions.status === 'ready')
      listRef.current?.querySelector<HTMLButtonElement>('button:not([aria-disabled="true"])')?.focus();
  }, [actions.status]);

  const learnMore = async (url: string) => {
    try {
      await api().call('shell.openExternal', { url });
    } catch (error) {
      announce(`Could not open the link: ${messageOf(error)}`);
    }
  };

  return (
    <>
      <p className="lede">{provider.description}</p>
      {(actions.status === 'loading' || actions.status === 'idle') && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading actions…
        </p>
      )}
      {actions.status === 'error' && (
        <Alert
          title={<>Could not load the actions of {provider.label}</>}
          message={actions.message}
          onRetry={() => void chooseProvider(provider)}
        />
      )}
      {startError && (
        <p className="alert alert-error" role="alert">
          Could not start: {startError}
        </p>
      )}
      {actions.status === 'ready' && actions.value.length === 0 && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Starting…
        </p>
      )}
      {actions.status === 'ready' && actions.value.length > 0 && (
        <ul className="action-list" role="list" aria-label={`Actions of ${provider.label}`} ref={listRef}>
          {actions.value.map((action) => (
            <li key={action.id}>
              <ActionCard
                action={action}
                busy={starting === action.id}
                blocked={!!starting}
                onChoose={() => void choose(action)}
              />
            </li>
          ))}
        </ul>
      )}
      {provider.learnMoreUrl && (
        <p className="learn-more">
          <a
            href={provider.learnMoreUrl}
            onClick={(event) => {
              event.preventDefault();
              void learnMore(provider.learnMoreUrl!);
            }}
          >
            Learn more…
          </a>
        </p>
      )}
    </>
  );
}

function ActionCard({
  action,
  busy,
  blocked,
  onChoose,
}: {
  action: PickItemDto;
  busy: boolean;
  blocked: boolean;
  onChoose(): void;
}) {
  const disabled = !!action.disabledReason;
  const reasonId = `action-reason-${action.id}`;
  return (
    <button
      type="button"
      className={`option-card${disabled ? ' option-disabled' : ''}`}
      aria-disabled={disabled || blocked ? true : undefined}
      aria-describedby={disabled ? reasonId : undefined}
      onClick={() => !disabled && !blocked && onChoose()}
    >
      <span className="option-body">
        <span className="option-label">
          {action.label}
          {busy && <span className="spinner spinner-inline" aria-hidden="true" />}
        </span>
        {action.description && <span className="option-description">{action.description}</span>}
        {action.detail && <span className="option-detail">{action.detail}</span>}
        {disabled && (
          <span id={reasonId} className="option-reason">
            <Icon name="ban" size={14} className="inline-icon" />
            {action.disabledReason}
          </span>
        )}
        {action.requiresAuthentication && !disabled && <span className="option-tag">Needs sign-in</span>}
      </span>
    </button>
  );
}
