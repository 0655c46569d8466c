// vitest globalSetup for the end-to-end tests (e2e/, packages/create-plugin): before any test runs,
// make sure the offline npm cache and registry seed exist and match the inputs. Normally they do
// (`.ci/run` and `pnpm e2e:warm` fill them at install time) and this prints nothing. On a cold or
// outdated cache it downloads, saying so: an install step, kept out of the tests, which stay offline.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const WARM = join(import.meta.dirname, 'warm-e2e-cache.mjs');

export default function warmE2eCache() {
  const check = spawnSync(process.execPath, [WARM, '--check'], { encoding: 'utf8' });
  if (check.status === 0) return;
  console.log(
    'e2e global setup: the e2e npm cache is cold or outdated; warming it now (network: npm registry).',
  );
  // --if-stale decides again under the warm-up's lock: the other e2e package may be warming too.
  const warm = spawnSync(process.execPath, [WARM, '--if-stale'], { stdio: 'inherit' });
  if (warm.status !== 0) {
    throw new Error('Warming the e2e npm cache failed (see above). Run `pnpm e2e:warm` and read its output.');
  }
}
