import { defineConfig } from 'tsup';

// @x/sdk is bundled, so the plugin carries the SDK (and its version stamp) it was built with;
// @x/contract stays a peer dependency, shared with the host that loads the plugin.
// Source maps: a plugin's error reaches the host with its stack, which then points into src/
// (node --enable-source-maps) rather than into the bundle.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  noExternal: ['@x/sdk'],
});
