import { describe, expect, it } from 'vitest';
import { CONTEXT, memoryProject } from '../../test/update-fixture.js';
import type { Migration } from './migration.js';
import { MIGRATIONS, TEMPLATE_VERSION } from './migrations/index.js';
import { planUpdate } from './run-migrations.js';
import { compareVersions } from './template-version.js';

const stampOf = (text: string) =>
  (JSON.parse(text) as { createGreeterPlugin?: { template: string } }).createGreeterPlugin;
const changed = (plan: ReturnType<typeof planUpdate>) => plan.changes.map((c) => c.path);

describe('planUpdate', () => {
  it('runs every migration on a 1.0 project and stamps the current template version', () => {
    const plan = planUpdate(memoryProject('greeter'), MIGRATIONS, TEMPLATE_VERSION, CONTEXT);
    expect(plan).toMatchObject({ from: '1.0.0', to: TEMPLATE_VERSION, conflicts: [] });
    expect(plan.ran.map((r) => r.migration.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(changed(plan)).toEqual(['.gitignore', 'package.json', 'tsup.config.ts']);
    const pkg = plan.changes.find((c) => c.path === 'package.json')!.after;
    expect(stampOf(pkg)).toEqual({ template: TEMPLATE_VERSION });
    // Two migrations edited package.json in turn: the second saw the first's edit.
    expect(JSON.parse(pkg).scripts.dev).toBe('tsup --watch');
  });

  it('skips the migrations a stamped project already has, but runs those marked always', () => {
    const plan = planUpdate(memoryProject('greeter', {}, TEMPLATE_VERSION), MIGRATIONS, TEMPLATE_VERSION, {
      ...CONTEXT,
      generatorVersion: '1.4.0',
    });
    expect(plan.ran.map((r) => r.migration.id)).toEqual(MIGRATIONS.filter((m) => m.always).map((m) => m.id));
    expect(changed(plan)).toEqual(['package.json']);
    // Already stamped at the current version: only the ranges changed.
    expect(stampOf(plan.changes[0]!.after)).toBeUndefined();
  });

  it('leaves the stamp where it was while a conflict stands, so the next run tries again', () => {
    const edited = memoryProject('greeter').read('tsup.config.ts')!.replace('node20', 'node22');
    const plan = planUpdate(
      memoryProject('greeter', { 'tsup.config.ts': edited }),
      MIGRATIONS,
      TEMPLATE_VERSION,
      CONTEXT,
    );
    expect(plan.conflicts).toEqual([
      expect.objectContaining({ path: 'tsup.config.ts', migration: '0003-tsup-sourcemap' }),
    ]);
    expect(changed(plan)).toEqual(['.gitignore', 'package.json']);
    expect(stampOf(plan.changes[1]!.after)).toBeUndefined();
    const forced = planUpdate(
      memoryProject('greeter', { 'tsup.config.ts': edited }),
      MIGRATIONS,
      TEMPLATE_VERSION,
      {
        ...CONTEXT,
        force: true,
      },
    );
    expect(forced.conflicts).toEqual([]);
    expect(changed(forced)).toEqual(['.gitignore', 'package.json', 'tsup.config.ts']);
  });

  it('refuses, as a bug, a migration that would write a file the template does not own', () => {
    const rogue: Migration = {
      id: '9999-rogue',
      description: 'rewrites the author’s code',
      from: '1.0.0',
      to: '9.0.0',
      apply: () => ({ edits: [{ path: 'src/index.ts', content: '' }], conflicts: [] }),
    };
    expect(() => planUpdate(memoryProject('greeter'), [rogue], '9.0.0', CONTEXT)).toThrow(
      'migration 9999-rogue edits src/index.ts, not a template file',
    );
  });

  it('has migrations in id order, each with a from older than its to, and ids that name their files', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    for (const m of MIGRATIONS) {
      expect(m.id).toMatch(/^\d{4}-[a-z0-9-]+$/);
      expect(compareVersions(m.from, m.to)).toBeLessThan(0);
    }
  });
});
