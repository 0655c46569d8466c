import { defineConfig } from 'tsup';

// A contract package is data: @x/contract stays a peer, shared with the host and every plugin.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
});
