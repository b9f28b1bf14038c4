/** What every action needs: a federation client and adapters that reach the accounts' instances. */
import type { VersiaAccount } from './account';
import { adapterFor, ADAPTERS, notSupportedMessage, type AdapterFactory, type MigrationAdapter } from './adapters/index';
import { FederationClient, type InstanceMetadata, type TransportOptions, type VersiaResolver } from './protocol/index';

export interface VersiaProviderOptions {
  /** Maps a domain to the origin that serves it (tests and the local test kit); default https://{domain}. */
  resolve?: VersiaResolver;
  /** Per request (ms). */
  timeoutMs?: number;
  /** How long "Complete" waits for the old instance to finish (ms). */
  completionTimeoutMs?: number;
  pollIntervalMs?: number;
  adapters?: readonly AdapterFactory[];
}

export interface Session {
  client: FederationClient;
  transport: TransportOptions;
  adapter(account: VersiaAccount, metadata: InstanceMetadata): MigrationAdapter;
}

export function openSession(options: VersiaProviderOptions, accounts: VersiaAccount[], signal: AbortSignal): Session {
  const plainHttp = new Set(accounts.filter((a) => a.plainHttp).map((a) => a.domain));
  const resolve: VersiaResolver = (domain) => options.resolve?.(domain) ?? (plainHttp.has(domain) ? `http://${domain}` : undefined);
  const transport: TransportOptions = { resolve, timeoutMs: options.timeoutMs ?? 10_000, signal };
  return {
    client: new FederationClient(transport),
    transport,
    adapter(account, metadata) {
      const factory = adapterFor(metadata.software.name, options.adapters ?? ADAPTERS);
      if (!factory) throw new Error(notSupportedMessage(metadata.software, account.domain));
      if (!account.token) throw new Error(`${account.handle} has no access token: give it as versia://${account.username}:ACCESS_TOKEN@${account.domain}.`);
      return factory.create({ domain: account.domain, token: account.token, transport });
    },
  };
}
