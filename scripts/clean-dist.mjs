// Removes the calling package's dist/ before a build. Packages with several tsup configs need it:
// tsup's `clean` runs per config, concurrently, and one config's clean (its .d.ts pass included)
// can delete what another config has just written.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
