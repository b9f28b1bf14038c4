/** What every action needs: a federation client and adapters that reach the accounts' instances. */
import type { VersiaAccount } from './account';
import {
  adapterFor,
  defaultAdapters,
  notSupportedMessage,
  type AdapterFactory,
  type MigrationAdapter,
} from './adapters/index';
import {
  FederationClient,
  isLocalDestination,
  type InstanceMetadata,
  type TransportOptions,
  type VersiaResolver,
} from './protocol/index';

export interface VersiaProviderOptions {
  /** Maps a domain to the origin that serves it (tests and the local test kit); default https://{domain}. */
  resolve?: VersiaResolver;
  /** Per request (ms). */
  timeoutMs?: number;
  /** How long "Complete" waits for the old instance to finish (ms). */
  completionTimeoutMs?: number;
  pollIntervalMs?: number;
  /**
   * Exactly the adapters to use (tests). Default: the shipped ones and any registered in this process
   * (adapters/index.ts). Set by code only, never from the window or a preset.
   */
  adapters?: readonly AdapterFactory[];
  /**
   * Whether destinations learned from remote data may be loopback / private / link-local. By default they
   * may only when one of the person's own instances is such an address (local development).
   */
  allowPrivateDestinations?: boolean;
  /** Most pages of a collection followed. */
  maxPages?: number;
}

export interface Session {
  client: FederationClient;
  transport: TransportOptions;
  adapter(account: VersiaAccount, metadata: InstanceMetadata): MigrationAdapter;
}

export async function openSession(
  options: VersiaProviderOptions,
  accounts: VersiaAccount[],
  signal: AbortSignal,
  onNote?: (note: string) => void,
): Promise<Session> {
  const plainHttp = new Set(accounts.filter((a) => a.plainHttp).map((a) => a.domain));
  const resolve: VersiaResolver = (domain) =>
    options.resolve?.(domain) ?? (plainHttp.has(domain) ? `http://${domain}` : undefined);
  const trusted = [...new Set(accounts.map((a) => a.domain))];
  const allowPrivate =
    options.allowPrivateDestinations ??
    (await Promise.all(trusted.map((d) => isLocalDestination(d, resolve)))).some(Boolean);
  const transport: TransportOptions = {
    resolve,
    timeoutMs: options.timeoutMs ?? 10_000,
    signal,
    destinations: { trusted, allowPrivate },
  };
  return {
    client: new FederationClient({ ...transport, maxPages: options.maxPages, onNote }),
    transport,
    adapter(account, metadata) {
      const factory = adapterFor(metadata.software.name, options.adapters ?? defaultAdapters());
      if (!factory) throw new Error(notSupportedMessage(metadata.software, account.domain));
      if (!account.token)
        throw new Error(
          `${account.handle} has no access token: give it as versia://${account.username}:ACCESS_TOKEN@${account.domain}.`,
        );
      return factory.create({ domain: account.domain, token: account.token, transport });
    },
  };
}
