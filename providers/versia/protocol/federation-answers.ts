/**
 * How the federation client reads an instance's answers: the response signature checked against the
 * serving instance's key, JSON parsed and validated with a clear error naming where, references made
 * `domain:id`, and short snippets of bad answers for messages.
 */
import type { z } from 'zod';
import { hostOf, parseReference } from './reference';
import { describeIssues } from './schemas';
import { checkSignature } from './signatures';
import { VersiaProtocolError } from './transport';

export function verifyResponse(host: string, path: string, raw: string, response: Response, publicKey: string): void {
  const check = checkSignature({
    method: 'GET',
    url: path,
    body: raw,
    headers: (name) => response.headers.get(name),
    publicKey,
    expectedSigner: host,
  });
  if (!check.ok) throw new VersiaProtocolError(`The answer of ${host}${path} is not correctly signed: ${check.reason}`);
}

export async function readJson(response: Response, host: string, path: string): Promise<unknown> {
  const raw = await response.text();
  if (!response.ok)
    throw new VersiaProtocolError(`${host}${path} answered ${response.status}: ${snippet(raw)}`, response.status);
  return jsonOf(raw, `${host}${path}`);
}

export function jsonOf(raw: string, where: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new VersiaProtocolError(`${where} did not answer JSON: ${snippet(raw)}`);
  }
}

/**
 * A reference read from an entity served by `servingDomain`, as `domain:id`. An instance on a development
 * port names itself by its host alone (a Domain has no port; Versia Server writes `localhost:{id}` while
 * served at localhost:8080): such a reference is the serving instance's own.
 */
export function referenceFrom(text: string, servingDomain: string): string {
  const ref = parseReference(text, servingDomain);
  const domain = ref.domain !== servingDomain && ref.domain === hostOf(servingDomain) ? servingDomain : ref.domain;
  return `${domain}:${ref.id}`;
}

export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new VersiaProtocolError(`${where} sent an invalid entity: ${describeIssues(result.error)}`);
  return result.data;
}

export function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t || '(empty)';
}
