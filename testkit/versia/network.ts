/**
 * The test kit's "DNS": which 127.0.0.1 origin serves which Versia domain. Instances share one network
 * so they can federate, and the provider under test gets the same `resolve` function.
 */
import type { VersiaResolver } from '../../providers/versia/protocol/index';

export interface VersiaNetwork {
  resolve: VersiaResolver;
  register(domain: string, origin: string): void;
  unregister(domain: string): void;
  domains(): string[];
}

export function createVersiaNetwork(): VersiaNetwork {
  const origins = new Map<string, string>();
  return {
    resolve: (domain) => origins.get(domain.toLowerCase()),
    register(domain, origin) {
      origins.set(domain.toLowerCase(), origin);
    },
    unregister(domain) {
      origins.delete(domain.toLowerCase());
    },
    domains: () => [...origins.keys()],
  };
}
