/**
 * The provider registry: holds providers by id and answers what fits the current context,
 * with the DocumentDB semantics (empty action list = direct action) and a "why not" for the rest.
 */
import {
  CONNECTION_KIND_LABELS,
  type MigrationContext,
  type MigrationProvider,
  type PickItem,
} from '../../providers/api/index';

export interface ProviderAvailability {
  provider: MigrationProvider;
  available: boolean;
  unavailableReason?: string;
}

export class ProviderRegistry {
  private readonly providers = new Map<string, MigrationProvider>();

  constructor(private readonly allowlist?: ReadonlySet<string>) {}

  register(provider: MigrationProvider): void {
    if (!provider.id || !/^[a-z0-9][a-z0-9._-]*$/i.test(provider.id))
      throw new Error(`Provider id "${provider.id}" is invalid: use letters, digits, dot, dash or underscore.`);
    if (this.providers.has(provider.id)) throw new Error(`A provider with id "${provider.id}" is already registered.`);
    if (this.allowlist && !this.allowlist.has(provider.id))
      throw new Error(`Provider "${provider.id}" is not on this installation's allowlist.`);
    this.providers.set(provider.id, provider);
  }

  /** Takes a provider out (an installed provider removed or disabled). */
  unregister(id: string): void {
    this.providers.delete(id);
  }

  get(id: string): MigrationProvider | undefined {
    return this.providers.get(id);
  }

  all(): MigrationProvider[] {
    return [...this.providers.values()];
  }

  availability(context: MigrationContext): ProviderAvailability[] {
    return this.all().map((provider) => {
      const reason = unavailableReason(provider, context);
      return { provider, available: !reason, unavailableReason: reason };
    });
  }

  async actions(provider: MigrationProvider, context: MigrationContext): Promise<PickItem[]> {
    const actions = await provider.getAvailableActions(context);
    return actions.map((action) =>
      action.requiresAuthentication && !context.authenticated && !action.disabledReason
        ? { ...action, disabledReason: 'Needs a connection with credentials the server accepted.' }
        : action,
    );
  }
}

function unavailableReason(provider: MigrationProvider, context: MigrationContext): string | undefined {
  const kind = context.connection?.kind;
  if (!kind) {
    if (provider.appliesTo.length > 0)
      return `Connect to a ${provider.appliesTo.map((k) => CONNECTION_KIND_LABELS[k]).join(' or ')} first.`;
  } else if (!provider.appliesTo.includes(kind)) {
    return `Works with ${provider.appliesTo.map((k) => CONNECTION_KIND_LABELS[k]).join(' or ')}, not a ${CONNECTION_KIND_LABELS[kind]}.`;
  }
  return provider.unavailableReason?.(context);
}
