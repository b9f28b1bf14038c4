/**
 * The world the Versia move tests start from: old.test, new.test and third.test on 127.0.0.1 sharing one
 * resolver, @alice on old.test and new.test, users of third.test who follow the old @alice, and some of
 * them whom she follows back.
 */
import { seedFollow } from './index';
import { startVersiaInstance, type VersiaTestInstance } from './instance';
import { createVersiaNetwork, type VersiaNetwork } from './network';

export interface ThreeInstances {
  network: VersiaNetwork;
  old: VersiaTestInstance;
  new: VersiaTestInstance;
  third: VersiaTestInstance;
  stop(): Promise<void>;
}

export async function startThreeInstances(options: {
  pageSize: number;
  /** Users of third.test, each following @alice@old.test. */
  followers: readonly string[];
  /** Those among them whom @alice@old.test follows. */
  followings: readonly string[];
}): Promise<ThreeInstances> {
  const network = createVersiaNetwork();
  const [oldI, newI, third] = await Promise.all(
    ['old.test', 'new.test', 'third.test'].map((domain) =>
      startVersiaInstance({ domain, network, pageSize: options.pageSize }),
    ),
  );
  const stop = async () => {
    await Promise.all([oldI, newI, third].map((i) => i.stop()));
  };
  try {
    oldI.createUser('alice');
    newI.createUser('alice');
    for (const name of options.followers) {
      third.createUser(name);
      seedFollow({ instance: third, username: name }, { instance: oldI, username: 'alice' });
    }
    for (const name of options.followings)
      seedFollow({ instance: oldI, username: 'alice' }, { instance: third, username: name });
  } catch (error) {
    await stop();
    throw error;
  }
  return { network, old: oldI, new: newI, third, stop };
}
