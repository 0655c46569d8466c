import { afterAll, expect, it } from 'vitest';
import { createHost } from '../src/index.js';
import { Project } from './fixtures.js';

// Every load under way listens to the host's close signal: loadAll() of more than ten plugins
// used to print Node's MaxListenersExceededWarning ("possible EventTarget memory leak").
const project = new Project();
afterAll(() => project.remove());

it('loadAll() of 30 plugins prints no MaxListenersExceededWarning, and close() still ends them all', async () => {
  const dirs = Array.from({ length: 30 }, (_, i) => project.addPlugin(`greeter-plugin-${i}`));
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  const host = createHost({ cwd: project.dir });
  try {
    const results = await host.loadAll(dirs);
    expect(results.every((r) => r.ok)).toBe(true);
    // Node emits warnings on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((name) => name === 'MaxListenersExceededWarning')).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    await host.close();
  }
  expect(host.handles()).toEqual([]);
});
