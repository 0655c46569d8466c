import { defineConfig } from 'tsup';

// @x/sdk is bundled, so the plugin carries the SDK (and its version stamp) it was built with;
// @x/contract stays a peer, shared with the host.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  noExternal: ['@x/sdk'],
});
