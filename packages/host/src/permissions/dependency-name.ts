import validate from 'validate-npm-package-name';

const SAFE_NAME = /^(?:@[A-Za-z0-9\-!~*'()][\w\-.!~*'()]*\/)?[A-Za-z0-9\-!~*'()][\w\-.!~*'()]*$/;
// validate-npm-package-name's exclusion list (compared lower-cased, as it does).
const EXCLUDED = new Set(['node_modules', 'favicon.ico']);

/**
 * Why a dependency name from a package.json cannot become a read grant, or undefined when it is
 * a package name npm could have installed. validate-npm-package-name's rules for existing
 * packages (old names with capitals stay valid), plus what it lets through and a path join must
 * not see: a scope starting with "." (`@../x` passes its check and joins to a sibling folder),
 * a backslash (a separator on Windows), and a name of "." or ".." segments in any form.
 */
export function dependencyNameProblem(name: string): string | undefined {
  // Discovery checks every name a project lists (1,000 in the bench), and validate() spends most
  // of its ~15 µs on warnings this check never reads (core module names, capitals). A name made
  // only of characters encodeURIComponent keeps, one optional "@scope/", and no segment that starts
  // with "." or "_", passes every rule below and all of validate()'s errors but two exact names:
  // it is accepted at once. Anything else gets the full check.
  if (SAFE_NAME.test(name) && name.length <= 214 && !EXCLUDED.has(name.toLowerCase())) return undefined;
  return fullNameProblem(name);
}

/** The full check, without the fast path (exported for the test that holds the two equal). */
export function fullNameProblem(name: string): string | undefined {
  const result = validate(name);
  if (!result.validForOldPackages) return (result.errors ?? result.warnings ?? ['is invalid']).join('; ');
  const segments = name.split('/');
  if (segments.length > 2 || (segments.length === 2 && !name.startsWith('@'))) {
    return 'has a path separator outside "@scope/name"';
  }
  if (segments.some((s) => s.startsWith('.') || s.startsWith('@.')) || name.includes('\\')) {
    return 'is a path, not a package name';
  }
  return undefined;
}
