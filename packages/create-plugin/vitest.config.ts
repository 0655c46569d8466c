import { packageTestConfig } from '../../vitest.shared.ts';

// test/e2e.test.ts installs offline from the e2e npm cache: the global setup fills it first if it
// is missing or outdated (an install step that says it downloads; normally `pnpm e2e:warm` did it).
export default packageTestConfig(import.meta.dirname, {
  globalSetup: ['../../scripts/e2e-global-setup.mjs'],
});
