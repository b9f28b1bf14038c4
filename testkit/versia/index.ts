/** The Versia test kit: spec-conformant instances on 127.0.0.1 sharing one resolver. */
export { createVersiaNetwork, type VersiaNetwork } from './network';
export { cutoverTestkitAdapter } from './adapter';
export {
  startVersiaInstance,
  TESTKIT_SOFTWARE,
  CLIENT_API,
  type VersiaTestInstance,
  type TestUser,
  type VersiaInstanceOptions,
} from './instance';
import type { VersiaTestInstance } from './instance';

/** Seeds "a follows b" on both instances, as a completed Follow would have left it. */
export function seedFollow(
  a: { instance: VersiaTestInstance; username: string },
  b: { instance: VersiaTestInstance; username: string },
): void {
  a.instance.user(a.username).following.add(b.instance.reference(b.username));
  b.instance.user(b.username).followers.add(a.instance.reference(a.username));
}
