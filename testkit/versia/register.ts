/**
 * Development entry: registers the test kit's adapter (./adapter.ts) with every Versia provider of this
 * process, so the command line or the browser harness can move accounts between the test kit's instances
 * (`npm run testkit:versia`). Loaded before the entry point, never bundled:
 *
 *   node --import tsx --import ./testkit/versia/register.ts main/cli/index.ts versia-check …
 *
 * (`npm run cutover:versia-testkit` and `npm run dev:web:versia-testkit` do exactly that). It says so on
 * stderr, so a terminal that can move test-kit accounts is never mistaken for the shipped app.
 */
import { registerVersiaAdapter } from '../../providers/versia/index';
import { cutoverTestkitAdapter } from './adapter';

registerVersiaAdapter(cutoverTestkitAdapter);
process.stderr.write(
  `Test kit: the Versia provider can drive ${cutoverTestkitAdapter.software} instances in this process (testkit/versia/register.ts).\n`,
);
