import type { PluginError, PluginStamp } from '@x/contract';
import type { PluginPackage } from '../../manifest.js';
import type { HostVersions } from './host-versions.js';
import { incompatible } from './problems.js';
import { contractRange } from './rules.js';
import { compatibleLine, parseVersion, satisfiesRange } from './semver-policy.js';

/**
 * Checks the stamp `definePlugin` put into the code actually loaded (Go's same-toolchain rule,
 * done as a comparison instead of a crash): the @x/contract it was built against must be one its
 * own package.json admits, and on the host's compatible line. package.json can be edited after a
 * build; the stamp is what the code was compiled with, so a disagreement is reported, not trusted.
 */
export function stampProblems(pkg: PluginPackage, stamp: PluginStamp, host: HostVersions): PluginError[] {
  const built = stamp.contractVersion;
  const rebuild = `Rebuild ${pkg.name} with @x/sdk (npm run build) and republish it`;
  if (typeof built !== 'string' || parseVersion(built) === undefined) {
    return [
      incompatible(pkg.name, 'stamp', {
        what: `Plugin "${pkg.name}" carries an unreadable build stamp (contractVersion ${JSON.stringify(built)}).`,
        why: 'The host cannot tell which @x/contract its code was built against.',
        fix: `${rebuild}, so that definePlugin stamps it again.`,
        required: 'a semver version',
        actual: String(built),
      }),
    ];
  }
  const problems: PluginError[] = [];
  const range = contractRange(pkg);
  if (!satisfiesRange(built, range)) {
    problems.push(
      incompatible(
        pkg.name,
        'stamp',
        {
          what: `Plugin "${pkg.name}" was built against @x/contract ${built}, but its package.json declares ${range}.`,
          why: 'Its package.json and its built code disagree, so neither can be trusted to say what it needs.',
          fix: `${rebuild} against a @x/contract in ${range}, or correct its peerDependencies["@x/contract"] to the range it was built for.`,
          required: range,
          actual: built,
        },
        { stamp },
      ),
    );
  }
  const builtLine = compatibleLine(built);
  const hostLine = compatibleLine(host.contract);
  if (builtLine !== hostLine) {
    problems.push(
      incompatible(
        pkg.name,
        'stamp',
        {
          what: `Plugin "${pkg.name}" was built against @x/contract ${built} (the ${builtLine} line), but this host has ${host.contract} (the ${hostLine} line).`,
          why: 'Code built on one major line of the contract cannot be trusted to work on another.',
          fix: `${rebuild} against @x/contract ^${host.contract}, or move the host's @x/contract to the ${builtLine} line.`,
          required: builtLine,
          actual: host.contract,
        },
        { stamp },
      ),
    );
  }
  return problems;
}
