/**
 * Recognises, validates and redacts connection strings: the SDK's helper (providers/api/connection.ts),
 * which the host and the providers share.
 */
export * from '../../providers/api/connection';
