/** The per-software adapters, chosen by the instance metadata's `software.name`. */
import { cutoverTestkitAdapter } from './cutover-testkit';
import type { AdapterFactory } from './types';

export type { AccountState, AdapterFactory, MigrationAdapter, MigrationStatus } from './types';

export const ADAPTERS: readonly AdapterFactory[] = [cutoverTestkitAdapter];

export function adapterFor(software: string, adapters: readonly AdapterFactory[] = ADAPTERS): AdapterFactory | undefined {
  return adapters.find((a) => a.software.toLowerCase() === software.toLowerCase());
}

export function notSupportedMessage(software: { name: string; version?: string }, domain: string): string {
  return `Moving accounts is not supported by ${software.name}${software.version ? ` ${software.version}` : ''} (${domain}) yet: Cutover has no adapter for its client API.`;
}
