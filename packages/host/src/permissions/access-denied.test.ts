import { describe, expect, it } from 'vitest';
import { deniedApi, isAccessDenied } from './access-denied.js';

// Stacks as Node 20.20 writes them for ERR_ACCESS_DENIED.
const stack = (...frames: string[]) =>
  ['Error: Access to this API has been restricted', ...frames.map((f) => `    at ${f}`)].join('\n');

describe('access-denied', () => {
  it('recognises ERR_ACCESS_DENIED by code, or by its message once the code is lost on the wire', () => {
    expect(isAccessDenied({ code: 'ERR_ACCESS_DENIED', message: 'x' })).toBe(true);
    expect(isAccessDenied({ message: 'Access to this API has been restricted' })).toBe(true);
    expect(isAccessDenied({ message: 'ENOENT: no such file' })).toBe(false);
  });

  it('names the public API that refused: the last node: frame before the plugin code', () => {
    expect(
      deniedApi(
        stack(
          'Object.openSync (node:fs:573:18)',
          'Object.readFileSync (node:fs:452:35)',
          'greet (/p/index.js:1:1)',
        ),
      ),
    ).toBe('fs.readFileSync()');
    expect(
      deniedApi(
        stack(
          'ChildProcess.spawn (node:internal/child_process:395:28)',
          'Object.spawn (node:child_process:762:9)',
          'x (/p/i.js:1:1)',
        ),
      ),
    ).toBe('child_process.spawn()');
    expect(deniedApi(stack('new Worker (node:internal/worker:215:21)', 'w (/p/i.js:2:1)'))).toBe(
      'new Worker()',
    );
    expect(deniedApi(stack('greet (/p/index.js:1:1)'))).toBeUndefined();
    expect(deniedApi(undefined)).toBeUndefined();
  });
});
