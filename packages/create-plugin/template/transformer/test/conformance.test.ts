import { transformer } from '@x/contract';
import { testPlugin } from '@x/sdk/testing';

// The built plugin (dist/), loaded through a real @x/host in each isolation mode (in-process,
// worker, process), checked against the "transformer" contract: every method, its declared return
// type, and these cases. X_PLUGIN_TEST_ISOLATIONS=in-process narrows the modes run.
testPlugin({
  dir: new URL('..', import.meta.url),
  contract: transformer,
  cases: {
    transform: [
      [['hello'], 'HELLO'],
      [[''], ''],
    ],
    name: [[[], 'upper']],
  },
});
