/**
 * The migration flow: provider picker -> (action picker) -> jobs.start.
 * A provider with no actions is a direct action: choosing it starts the job at once.
 */
import { create } from 'zustand';
import type { ContextRef, PickItemDto, ProviderSummary } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { announce } from './announcer';
import { useConnections, type Selection } from './connections';
import { useUi } from './ui';
import type { Load } from '../load';

interface MigrateState {
  context: ContextRef;
  providers: Load<ProviderSummary[]>;
  provider?: ProviderSummary;
  actions: Load<PickItemDto[]>;
  /** The provider or action id being started. */
  starting?: string;
  startError?: string;
  /** Opens the picker for the current selection. */
  begin(): Promise<void>;
  reloadProviders(): Promise<void>;
  chooseProvider(provider: ProviderSummary): Promise<void>;
  chooseAction(action: PickItemDto): Promise<void>;
  backToProviders(): void;
}

export function contextOf(selection: Selection): ContextRef {
  return {
    ...(selection.connectionId ? { connectionId: selection.connectionId } : {}),
    ...(selection.databaseName ? { databaseName: selection.databaseName } : {}),
    ...(selection.collectionName ? { collectionName: selection.collectionName } : {}),
    extendedProperties: {},
  };
}

export const useMigrate = create<MigrateState>((set, get) => {
  async function start(providerId: string, actionId: string | undefined): Promise<void> {
    set({ starting: actionId ?? providerId, startError: undefined });
    try {
      const { jobId } = await api().call('jobs.start', {
        providerId,
        ...(actionId ? { actionId } : {}),
        context: get().context,
      });
      set({ starting: undefined });
      announce('Migration started');
      useUi.getState().navigate({ name: 'job', jobId });
    } catch (error) {
      set({ starting: undefined, startError: messageOf(error) });
    }
  }

  return {
    context: { extendedProperties: {} },
    providers: { status: 'idle' },
    actions: { status: 'idle' },

    async begin() {
      set({
        context: contextOf(useConnections.getState().selection),
        provider: undefined,
        actions: { status: 'idle' },
        startError: undefined,
      });
      useUi.getState().navigate({ name: 'migrate' });
      await get().reloadProviders();
    },

    async reloadProviders() {
      set({ providers: { status: 'loading' } });
      try {
        const value = await api().call('providers.list', { context: get().context });
        set({ providers: { status: 'ready', value } });
      } catch (error) {
        set({ providers: { status: 'error', message: messageOf(error) } });
      }
    },

    async chooseProvider(provider) {
      if (!provider.available || get().starting) return;
      set({ provider, actions: { status: 'loading' }, startError: undefined });
      try {
        const { actions } = await api().call('providers.actions', { providerId: provider.id, context: get().context });
        if (get().provider?.id !== provider.id) return;
        set({ actions: { status: 'ready', value: actions } });
        if (actions.length === 0) await start(provider.id, undefined);
      } catch (error) {
        set({ actions: { status: 'error', message: messageOf(error) } });
      }
    },

    async chooseAction(action) {
      const provider = get().provider;
      if (!provider || action.disabledReason || get().starting) return;
      await start(provider.id, action.id);
    },

    backToProviders() {
      set({ provider: undefined, actions: { status: 'idle' }, startError: undefined });
    },
  };
});
