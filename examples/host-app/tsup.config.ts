import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/reload.ts'],
  format: ['esm'],
  clean: true,
  target: 'node20',
});
