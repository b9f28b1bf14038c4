/**
 * The per-software adapters, chosen by the instance metadata's `software.name`.
 *
 * ADAPTERS is what ships: adapters for real Versia server software only. It is empty today: no server
 * software exposes a client API for the migration steps (Versia Server 0.9.0-alpha.0, the reference
 * implementation, has none), so Check readiness and Verify a migration work with any instance and Move my
 * account says which software it cannot drive yet.
 *
 * Other adapters come in by injection, never from the window: a provider built with
 * `createVersiaProvider({ adapters })` uses exactly that list (tests), and `registerVersiaAdapter` adds one
 * for every provider of this process that was built without a list (the test kit's development entries,
 * testkit/versia/register.ts, loaded with `node --import`; nothing in the shipped app calls it).
 */
import type { AdapterFactory } from './types';

export type { AccountState, AdapterFactory, MigrationAdapter, MigrationStatus } from './types';

export const ADAPTERS: readonly AdapterFactory[] = [];

const registered: AdapterFactory[] = [];

/** Adds an adapter to this process's default list (ADAPTERS, then the registered ones). */
export function registerVersiaAdapter(factory: AdapterFactory): void {
  const software = typeof factory?.software === 'string' ? factory.software.trim() : '';
  if (!software || typeof factory.create !== 'function')
    throw new TypeError(
      "registerVersiaAdapter: an adapter needs a software name (the metadata's software.name) and a create function.",
    );
  if (adapterFor(software, defaultAdapters()))
    throw new Error(`registerVersiaAdapter: there is an adapter for ${software} already.`);
  registered.push(factory);
}

/** What a provider built without its own `adapters` uses: the shipped adapters and the registered ones. */
export function defaultAdapters(): readonly AdapterFactory[] {
  return [...ADAPTERS, ...registered];
}

export function adapterFor(
  software: string,
  adapters: readonly AdapterFactory[] = defaultAdapters(),
): AdapterFactory | undefined {
  return adapters.find((a) => a.software.toLowerCase() === software.toLowerCase());
}

export function notSupportedMessage(software: { name: string; version?: string }, domain: string): string {
  return `Moving accounts is not supported by ${software.name}${software.version ? ` ${software.version}` : ''} (${domain}) yet: Cutover has no adapter for its client API.`;
}
