/** Adapter for the Cutover test kit's instances (`software.name` = cutover-versia-testkit). */
import { z } from 'zod';
import { describeIssues, fetchFrom, VersiaProtocolError } from '../protocol/index';
import type { AdapterFactory, MigrationAdapter, MigrationStatus } from './types';

const API = '/api/cutover-testkit/v1';

const AccountSchema = z.object({
  id: z.string(),
  username: z.string(),
  reference: z.string(),
  previous: z.string().nullable(),
  new: z.string().nullable(),
  disabled: z.boolean(),
});

const StatusSchema = z.object({
  state: z.enum(['none', 'delivering', 'stalled', 'completed']),
  destination: z.string().optional(),
  deliveries: z.array(z.object({ domain: z.string(), status: z.enum(['pending', 'delivered', 'failed']), error: z.string().optional() })).default([]),
});

export const cutoverTestkitAdapter: AdapterFactory = {
  software: 'cutover-versia-testkit',
  create({ domain, token, transport }): MigrationAdapter {
    async function call<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown): Promise<z.output<T>> {
      const response = await fetchFrom(domain, `${API}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }, transport);
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new VersiaProtocolError(`${domain} answered ${method} ${path} with something that is not JSON (${response.status}).`, response.status);
      }
      if (response.status === 401) throw new VersiaProtocolError(`${domain} refused the access token (401): check the account's token.`, 401);
      if (!response.ok) throw new VersiaProtocolError(`${domain}: ${(json as { error?: string }).error ?? `answered ${response.status}`}`, response.status);
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new VersiaProtocolError(`${domain} answered ${method} ${path} with an unexpected payload: ${describeIssues(parsed.error)}`);
      return parsed.data;
    }
    const toStatus = (s: z.output<typeof StatusSchema>): MigrationStatus => ({
      state: s.state,
      destination: s.destination,
      failed: s.deliveries.filter((d) => d.status === 'failed').map((d) => ({ domain: d.domain, error: d.error ?? 'failed' })),
      delivered: s.deliveries.filter((d) => d.status === 'delivered').length,
      pending: s.deliveries.filter((d) => d.status === 'pending').length,
    });
    return {
      async readAccount() {
        const a = await call('GET', '/account', AccountSchema);
        return { reference: a.reference, username: a.username, previous: a.previous ?? undefined, new: a.new ?? undefined, disabled: a.disabled };
      },
      async setPrevious(reference) {
        await call('POST', '/account/previous', z.object({ previous: z.string() }), { previous: reference });
      },
      async requestMigration(destination) {
        return toStatus(await call('POST', '/account/migration', StatusSchema, { destination }));
      },
      async migrationStatus() {
        return toStatus(await call('GET', '/account/migration', StatusSchema));
      },
    };
  },
};
