import { gtr, ltr, Range, SemVer } from 'semver';

// semver (npm's own) rather than hand-written comparisons: ranges are npm's language, and the
// host must read a peer range exactly as npm does when it warns at install time.
const OPTIONS = { includePrerelease: true, loose: true } as const;

/**
 * The one place a version meets a range, so every check applies the same prerelease policy.
 * With `includePrerelease`, a prerelease sits where semver orders it: a host on 1.2.0-rc.1
 * satisfies ^1.1.0 (it comes after every 1.1.x, and a minor only adds), but not ^1.2.0 (1.2.0
 * is not out yet), and 2.0.0-rc.1 never satisfies ^1.1.0 (a new major breaks). Plain semver
 * would refuse the first case and lock every plugin out of a release candidate.
 */
export function satisfiesRange(version: string, range: string): boolean {
  const v = parseVersion(version);
  return v !== undefined && parseRange(range)?.test(v) === true;
}

// One load checks the same few versions and ranges several times (the manifest, each rule, the
// stamp): each string is parsed once per host, and a string that does not parse stays undefined.
const versions = new Map<string, SemVer | undefined>();
const ranges = new Map<string, Range | undefined>();

function parsed<T>(cache: Map<string, T | undefined>, key: string, parse: () => T): T | undefined {
  if (cache.has(key)) return cache.get(key);
  let value: T | undefined;
  try {
    value = parse();
  } catch {
    value = undefined;
  }
  cache.set(key, value);
  return value;
}

export function parseVersion(version: string): SemVer | undefined {
  return parsed(versions, version, () => new SemVer(version, OPTIONS));
}

export function parseRange(range: string): Range | undefined {
  return parsed(ranges, range, () => new Range(range, OPTIONS));
}

/** Where `version` falls outside `range`: above it, below it, or in a hole of it. */
export function outsideWhere(version: string, range: string): 'above' | 'below' | 'between' {
  if (gtr(version, range, OPTIONS)) return 'above';
  if (ltr(version, range, OPTIONS)) return 'below';
  return 'between';
}

/**
 * The line of versions that promise compatibility with `version` (semver's caret rule): the same
 * major from 1.0.0 on, the same minor below it. Code built on one line and a host on another do
 * not share a contract, whatever a package.json says.
 */
export function compatibleLine(version: string): string | undefined {
  const v = parseVersion(version);
  if (v === undefined) return undefined;
  return v.major > 0 ? `${v.major}.x` : `0.${v.minor}.x`;
}
