/**
 * The template's own version: it changes only when the template does, each change a migration
 * (./migrations), so it is not the generator's version (which every @x/* release bumps). The 1.0
 * template wrote no stamp; a project with none is taken to be from it.
 */
export const FIRST_TEMPLATE_VERSION = '1.0.0';

/** Where a generated project records its template version: `package.json` `createGreeterPlugin.template`. */
export const STAMP_FIELD = 'createGreeterPlugin';

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

export const isTemplateVersion = (value: unknown): value is string =>
  typeof value === 'string' && VERSION.test(value);

/** Compares two `x.y.z` versions: negative when a is older. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
