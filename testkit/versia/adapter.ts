/**
 * The Versia provider's adapter for the test kit's own instances (`software.name` = cutover-versia-testkit):
 * it drives their private client API (./instance.ts, CLIENT_API). It is test code and never ships: the
 * provider's shipped registry (providers/versia/adapters/index.ts) holds adapters for real server software
 * only. Tests give it to the provider as an option (`createVersiaProvider({ adapters: [...] })`); the
 * development entries register it for the whole process with ./register.ts.
 */
import { z } from 'zod';
import { describeIssues, fetchFrom, VersiaProtocolError } from '../../providers/versia/protocol/index';
import type { AdapterFactory, MigrationAdapter, MigrationStatus } from '../../providers/versia/adapters/index';
import { CLIENT_API as API, TESTKIT_SOFTWARE } from './instance';

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
  deliveries: z
    .array(
      z.object({
        domain: z.string(),
        status: z.enum(['pending', 'delivered', 'failed']),
        error: z.string().optional(),
      }),
    )
    .default([]),
});

export const cutoverTestkitAdapter: AdapterFactory = {
  software: TESTKIT_SOFTWARE,
  create({ domain, token, transport }): MigrationAdapter {
    async function call<T extends z.ZodType>(
      method: 'GET' | 'POST',
      path: string,
      schema: T,
      body?: unknown,
    ): Promise<z.output<T>> {
      const response = await fetchFrom(
        domain,
        `${API}${path}`,
        {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        },
        transport,
      );
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new VersiaProtocolError(
          `${domain} answered ${method} ${path} with something that is not JSON (${response.status}).`,
          response.status,
        );
      }
      if (response.status === 401)
        throw new VersiaProtocolError(`${domain} refused the access token (401): check the account's token.`, 401);
      if (!response.ok)
        throw new VersiaProtocolError(
          `${domain}: ${(json as { error?: string }).error ?? `answered ${response.status}`}`,
          response.status,
        );
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new VersiaProtocolError(
          `${domain} answered ${method} ${path} with an unexpected payload: ${describeIssues(parsed.error)}`,
        );
      return parsed.data;
    }
    const toStatus = (s: z.output<typeof StatusSchema>): MigrationStatus => ({
      state: s.state,
      destination: s.destination,
      failed: s.deliveries
        .filter((d) => d.status === 'failed')
        .map((d) => ({ domain: d.domain, error: d.error ?? 'failed' })),
      delivered: s.deliveries.filter((d) => d.status === 'delivered').length,
      pending: s.deliveries.filter((d) => d.status === 'pending').length,
    });
    return {
      async readAccount() {
        const a = await call('GET', '/account', AccountSchema);
        return {
          reference: a.reference,
          username: a.username,
          previous: a.previous ?? undefined,
          new: a.new ?? undefined,
          disabled: a.disabled,
        };
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
