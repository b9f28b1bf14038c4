/**
 * WebFinger's answer turned into the `domain:id` reference of a User: its Versia "self" link, a v0.6 User
 * entity URL, or (Versia Server 0.9, tolerated and noted) a /users/{id} page of the same instance.
 */
import type { z } from 'zod';
import { hostOf, normaliseDomain, normaliseReference } from './reference';
import type { WebFingerSchema } from './schemas';
import { VersiaProtocolError } from './transport';
import { safeDecode, snippet } from './federation-answers';

/** Spec path first, then what Versia Server 0.9 serves (its extension-style type name). */
export const USER_TYPES = ['User', 'pub.versia:users/User'] as const;
const ENTITY_URL = /^\/\.versia\/v0\.6\/entities\/([^/]+)\/([^/]+)$/;
const ID = /^[A-Za-z0-9_-]+$/;

/** The User reference `jrd` (WebFinger of `who`, asked of `host`) links to; `note` receives what was tolerated. */
export function webfingerReference(
  jrd: z.output<typeof WebFingerSchema>,
  who: string,
  host: string,
  note: (text: string) => void,
): string {
  const selfLinks = jrd.links.filter((l) => l.rel === 'self' && l.href);
  let link = selfLinks.find((l) => l.type?.split(';')[0].trim() === 'application/vnd.versia+json');
  if (!link) {
    link = selfLinks.find((l) => l.type?.split(';')[0].trim() === 'application/json');
    if (link)
      note(
        `WebFinger of ${who} types its Versia link application/json instead of application/vnd.versia+json (tolerated).`,
      );
  }
  if (!link?.href)
    throw new VersiaProtocolError(
      `WebFinger of ${who} has no Versia link (rel "self", type application/vnd.versia+json).`,
    );
  let url: URL;
  try {
    url = new URL(link.href);
  } catch {
    throw new VersiaProtocolError(`WebFinger of ${who} links to "${snippet(link.href)}", which is not a URL.`);
  }
  if (url.username || url.password)
    throw new VersiaProtocolError(`WebFinger of ${who} links to a URL with credentials.`);
  const entity = ENTITY_URL.exec(url.pathname);
  const type = entity ? safeDecode(entity[1]) : undefined;
  if (entity && type && (USER_TYPES as readonly string[]).includes(type)) {
    return normaliseReference(safeDecode(entity[2]) ?? '', normaliseDomain(url.host));
  }
  // Versia Server 0.9 links to /users/{id}, a page that answers 404: the id is there, and the entity
  // endpoint of the same instance is asked for it (its answer is signed and its id checked).
  const id = safeDecode(url.pathname.split('/').filter(Boolean).at(-1) ?? '');
  if (id && ID.test(id) && hostOf(normaliseDomain(url.host)) === hostOf(host)) {
    note(
      `WebFinger of ${who} links to ${snippet(link.href)}, not to a v0.6 User entity URL: Cutover read the user ${id} from ${host}'s entity endpoint instead (tolerated).`,
    );
    return `${host}:${id}`;
  }
  throw new VersiaProtocolError(
    `WebFinger of ${who} links to ${snippet(link.href)}, which is not a v0.6 User entity URL.`,
  );
}
