/**
 * SDK: DocumentDB for VS Code compatibility. A provider written to its `MigrationProvider` v0.3 shape
 * registers unchanged: `fromDocumentDbProvider(provider)` gives a Cutover provider. The v0.3 provider
 * gets `ActionsOptions` (connectionString, databaseName, collectionName, extendedProperties) as it
 * expects, drives its UI through the `vscode` shim (./vscode.ts) and reports success by returning.
 */
import type { ActionResult, ConnectionKind, MigrationContext, MigrationProvider, PickItem } from './index.js';
import { runWithActionHost } from './vscode.js';

/** DocumentDB for VS Code's ActionsOptions (v0.3). */
export interface DocumentDbActionsOptions {
  connectionString?: string;
  databaseName?: string;
  collectionName?: string;
  extendedProperties?: Record<string, string | undefined>;
}

/** DocumentDB for VS Code's action item (a QuickPickItem with an id). */
export interface DocumentDbActionItem {
  id: string;
  label: string;
  description?: string;
  detail?: string;
  requiresAuthentication?: boolean;
}

/** DocumentDB for VS Code's MigrationProvider (v0.3). */
export interface DocumentDbMigrationProvider {
  id: string;
  label: string;
  description: string;
  iconPath?: unknown;
  requiresAuthentication?: boolean;
  getLearnMoreUrl?(): string | undefined;
  getAvailableActions(options?: DocumentDbActionsOptions): Promise<DocumentDbActionItem[]>;
  executeAction(options?: DocumentDbActionsOptions, id?: string): Promise<void>;
}

export function isDocumentDbProvider(value: unknown): value is DocumentDbMigrationProvider {
  const p = value as Partial<DocumentDbMigrationProvider> | undefined;
  return (
    !!p &&
    typeof p.id === 'string' &&
    typeof p.label === 'string' &&
    typeof p.getAvailableActions === 'function' &&
    typeof p.executeAction === 'function'
  );
}

/** The options a v0.3 provider receives for a Cutover context. */
export function toActionsOptions(context: MigrationContext): DocumentDbActionsOptions {
  return {
    connectionString: context.connection?.uri,
    databaseName: context.databaseName,
    collectionName: context.collectionName,
    extendedProperties: { ...context.extendedProperties },
  };
}

export function fromDocumentDbProvider(
  provider: DocumentDbMigrationProvider,
  options: { appliesTo?: ConnectionKind[] } = {},
): MigrationProvider {
  return {
    id: provider.id,
    label: provider.label,
    description: provider.description,
    learnMoreUrl: provider.getLearnMoreUrl?.(),
    requiresAuthentication: provider.requiresAuthentication,
    appliesTo: options.appliesTo ?? ['mongodb'],
    async getAvailableActions(context): Promise<PickItem[]> {
      const items = await provider.getAvailableActions(toActionsOptions(context));
      return items.map((item) => ({
        id: item.id,
        label: item.label,
        description: item.description,
        detail: item.detail,
        requiresAuthentication: item.requiresAuthentication,
      }));
    },
    async executeAction(context, actionId, host): Promise<ActionResult> {
      await runWithActionHost(host, () => provider.executeAction(toActionsOptions(context), actionId));
      if (host.cancellation.isCancellationRequested)
        return { outcome: 'cancelled', summary: `${provider.label} stopped: cancelled.` };
      return { outcome: 'succeeded', summary: `${provider.label} finished.` };
    },
  };
}
