/**
 * `npm run testkit:versia [-- --ports 4101,4102,4103[,4104]] [--reference]`: three local Versia instances
 * (old, new, third) with @alice on old and new, and friends on third who follow her; with --reference a
 * fourth that behaves like Versia Server 0.9.0-alpha.0 on the wire. Prints the connection strings to paste
 * into Cutover. Ctrl-C stops them. Moving accounts between them needs the test kit's adapter, which the
 * shipped app does not carry: run Cutover with it registered (./register.ts), as the lines printed say.
 */
import { startLocalWorld } from './local-world';

const arg = process.argv.indexOf('--ports');
const ports = arg > 0 ? process.argv[arg + 1]?.split(',').map(Number) : undefined;
const reference = process.argv.includes('--reference');
if (ports && (ports.length !== (reference ? 4 : 3) || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))) {
  console.error(
    `--ports needs ${reference ? 'four' : 'three'} ports between 1 and 65535, e.g. --ports 4101,4102,4103${reference ? ',4104' : ''}`,
  );
  process.exit(2);
}
const world = await startLocalWorld({ ports, reference });
console.log(`old instance    ${world.old.domain}`);
console.log(`new instance    ${world.new.domain}`);
console.log(
  `third instance  ${world.third.domain} (${world.third.users.size} users following @alice@${world.old.domain})`,
);
console.log('');
console.log(`Connect Cutover to the old account:  ${world.accounts.old}`);
console.log(`and give the new account when asked: ${world.accounts.new}`);
console.log('');
console.log(
  "Moving accounts between these instances needs the test kit's adapter (the shipped app has none for them):",
);
console.log('  npm run dev:web:versia-testkit                    the browser harness with it registered');
console.log('  npm run cutover:versia-testkit -- versia-check …  the command line with it registered');
console.log('Check readiness and Verify a migration work without it.');
if (world.reference)
  console.log(
    `Like Versia Server 0.9 (Check readiness says what is missing): versia+http://alice@${world.reference.domain}`,
  );
const stop = () => void world.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
