import validate from 'validate-npm-package-name';

/**
 * Why a dependency name from a package.json cannot become a read grant, or undefined when it is
 * a package name npm could have installed. validate-npm-package-name's rules for existing
 * packages (old names with capitals stay valid), plus what it lets through and a path join must
 * not see: a scope starting with "." (`@../x` passes its check and joins to a sibling folder),
 * a backslash (a separator on Windows), and a name of "." or ".." segments in any form.
 */
export function dependencyNameProblem(name: string): string | undefined {
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
