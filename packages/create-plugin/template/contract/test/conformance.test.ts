{{{contractImport}}}
import { testPlugin } from '@x/sdk/testing';

// The built plugin (dist/), loaded through a real @x/host in each isolation mode (in-process,
// worker, process), checked against the "{{contractName}}" contract: every method, what it
// returns against the contract's schemas, and these cases (written from the schemas: replace
// them with your plugin's real behaviour). X_PLUGIN_TEST_ISOLATIONS=in-process narrows the modes run.
testPlugin({
  dir: new URL('..', import.meta.url),
  contract,
  cases: {
{{{conformanceCases}}}
  },
});
