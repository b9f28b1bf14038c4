/**
 * `npm run testkit:versia [-- --ports 4101,4102,4103]`: three local Versia instances (old, new, third)
 * with @alice on old and new, and friends on third who follow her. Prints the connection strings to paste
 * into Cutover. Ctrl-C stops them.
 */
import { startLocalWorld } from './local-world';

const arg = process.argv.indexOf('--ports');
const ports = arg > 0 ? process.argv[arg + 1]?.split(',').map(Number) : undefined;
if (ports && (ports.length !== 3 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))) {
  console.error('--ports needs three ports between 1 and 65535, e.g. --ports 4101,4102,4103');
  process.exit(2);
}
const world = await startLocalWorld({ ports });
console.log(`old instance    ${world.old.domain}`);
console.log(`new instance    ${world.new.domain}`);
console.log(`third instance  ${world.third.domain} (${world.third.users.size} users following @alice@${world.old.domain})`);
console.log('');
console.log(`Connect Cutover to the old account:  ${world.accounts.old}`);
console.log(`and give the new account when asked: ${world.accounts.new}`);
const stop = () => void world.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
