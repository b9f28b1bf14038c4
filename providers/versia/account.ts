/**
 * A Versia account as the person gives it: `versia://user:ACCESS_TOKEN@instance[:port]` (https),
 * `versia+http://user:TOKEN@host:port` (plain HTTP, local test instances) or a bare handle `@user@instance`.
 */
import { normaliseDomain } from './protocol/index';
import { BadRequestError } from '../api/index';

export interface VersiaAccount {
  username: string;
  domain: string;
  /** Access token for the instance's client API; absent for a bare handle. */
  token?: string;
  /** The instance is reached over plain HTTP (versia+http://). */
  plainHttp: boolean;
  handle: string;
}

export class AccountInputError extends BadRequestError {
  override name = 'AccountInputError';
}

export function parseAccount(input: string, what = 'account'): VersiaAccount {
  const text = input.trim();
  if (!text)
    throw new AccountInputError(`The ${what} is empty: write it as versia://user:ACCESS_TOKEN@instance.example.`);
  const handle = /^@?([A-Za-z0-9_.-]+)@(\[[0-9a-fA-F:.]+\](?::\d+)?|[A-Za-z0-9.-]+(?::\d+)?)$/.exec(text);
  if (handle && !/^versia/i.test(text)) {
    const domain = normaliseDomain(handle[2]);
    return { username: handle[1], domain, plainHttp: false, handle: `@${handle[1]}@${domain}` };
  }
  const scheme = /^versia(\+http)?:\/\//i.exec(text);
  if (!scheme)
    throw new AccountInputError(
      `The ${what} "${redact(text)}" is not a Versia account: write it as versia://user:ACCESS_TOKEN@instance.example (or @user@instance without a token).`,
    );
  let url: URL;
  try {
    url = new URL(text.replace(/^versia(\+http)?:/i, 'http:'));
  } catch {
    throw new AccountInputError(
      `The ${what} "${redact(text)}" is not a valid URL: write it as versia://user:ACCESS_TOKEN@instance.example.`,
    );
  }
  if (!url.username)
    throw new AccountInputError(`The ${what} names no user: write it as versia://user:ACCESS_TOKEN@instance.example.`);
  const domain = normaliseDomain(url.host, `instance of the ${what}`);
  const username = decodeURIComponent(url.username);
  return {
    username,
    domain,
    token: url.password ? decodeURIComponent(url.password) : undefined,
    plainHttp: !!scheme[1],
    handle: `@${username}@${domain}`,
  };
}

function redact(text: string): string {
  return text.replace(/(:\/\/[^:@/]*):[^@/]*@/, '$1:****@');
}
