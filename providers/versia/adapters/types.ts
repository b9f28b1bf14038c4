/**
 * Versia defines no client API for migrating, so each server software gets a small adapter that
 * performs the three steps through that software's own API, with the account's access token.
 */
import type { TransportOptions } from '../protocol/index';

export interface AccountState {
  /** `domain:id` */
  reference: string;
  username: string;
  previous?: string;
  new?: string;
  disabled: boolean;
}

export interface MigrationStatus {
  state: 'none' | 'delivering' | 'stalled' | 'completed';
  destination?: string;
  /** Instances the Migration has not reached yet, with why. */
  failed: Array<{ domain: string; error: string }>;
  delivered: number;
  pending: number;
}

export interface MigrationAdapter {
  readAccount(): Promise<AccountState>;
  /** Step 1 on the new instance. */
  setPrevious(reference: string): Promise<void>;
  /** Step 2 on the old instance (also resumes a stalled delivery). */
  requestMigration(destination: string): Promise<MigrationStatus>;
  migrationStatus(): Promise<MigrationStatus>;
}

export interface AdapterFactory {
  /** `software.name` in the instance metadata. */
  software: string;
  create(options: { domain: string; token: string; transport: TransportOptions }): MigrationAdapter;
}
