import { type AnyContract, PluginError } from '@x/contract';
import type { PluginPackage } from '../../manifest.js';
import { contractRef, locateContractPackage } from '../locate-contract-package.js';
import type { HostVersions } from './host-versions.js';
import { incompatible } from './problems.js';
import { outsideWhere, satisfiesRange } from './semver-policy.js';

// Each rule of docs/compatibility.md, as a function that returns its problem or undefined.
// They only read package.json: no plugin code has run when they are applied.

/** The `@x/contract` range a plugin declares (read-manifest has made sure it is there and valid). */
export function contractRange(pkg: PluginPackage): string {
  const peers = pkg.packageJson.peerDependencies as Record<string, string> | undefined;
  return peers?.['@x/contract'] ?? '*';
}

export function nodeRange(pkg: PluginPackage): string | undefined {
  const engines = pkg.packageJson.engines as Record<string, unknown> | undefined;
  return typeof engines?.node === 'string' ? engines.node : undefined;
}

function isPeer(pkg: PluginPackage, name: string): boolean {
  const peers = pkg.packageJson.peerDependencies as Record<string, unknown> | undefined;
  return typeof peers?.[name] === 'string';
}

/** The plugin's contract must be one the host knows, or a contract package it can find. */
export function contractNameRule(
  pkg: PluginPackage,
  contracts: Readonly<Record<string, AnyContract>>,
): PluginError | undefined {
  const name = pkg.manifest.contract;
  if (Object.hasOwn(contracts, name)) return undefined;
  // The package form: found from the plugin's folder, its peer range checked (not imported here).
  const ref = contractRef(name, contracts);
  if (ref !== undefined) {
    const found = locateContractPackage(pkg, ref);
    if (!PluginError.isInstance(found)) return undefined;
    // A bare name is a package only when the plugin says so with a peer dependency on it;
    // otherwise it keeps its v1 meaning, a contract the host was not told about.
    if (ref.export !== undefined || isPeer(pkg, ref.package)) return found;
  }
  const known = Object.keys(contracts);
  return incompatible(
    pkg.name,
    'contract-name',
    {
      what: `Plugin "${pkg.name}" implements the "${name}" contract, which this host does not know.`,
      why: `The host knows: ${known.join(', ')}.`,
      fix: `Use a plugin for one of those contracts, register "${name}" with createHost({ contracts }) or pass it to load({ contract }), or install its contract package.`,
      required: name,
      actual: known.join(', '),
    },
    { contract: name, known },
  );
}

/** The host's `@x/contract` version must be in the plugin's peerDependencies range. */
export function contractVersionRule(pkg: PluginPackage, host: HostVersions): PluginError | undefined {
  const range = contractRange(pkg);
  if (satisfiesRange(host.contract, range)) return undefined;
  const where = outsideWhere(host.contract, range);
  const what = `Plugin "${pkg.name}" requires @x/contract ${range}, but this host has @x/contract ${host.contract}.`;
  const fixes = {
    below: {
      why: `The plugin was written for a newer contract than the host's, and may call what ${host.contract} lacks.`,
      fix: `Upgrade the host's @x/contract (and @x/host) to a version in ${range}: npm install @x/contract@"${range}" @x/host@latest; or install a release of ${pkg.name} whose peer range includes ${host.contract}.`,
    },
    above: {
      why: `The plugin was written for an older contract than the host's, and ${host.contract} may have changed what it relies on.`,
      fix: `Upgrade ${pkg.name} to a release built for @x/contract ${host.contract}: npm install ${pkg.name}@latest, and check that its peerDependencies include ${host.contract}; or downgrade the host's @x/contract to a version in ${range}.`,
    },
    between: {
      why: `The plugin's range leaves out ${host.contract}.`,
      fix: `Install a release of ${pkg.name} whose peerDependencies["@x/contract"] includes ${host.contract}, or move the host's @x/contract to a version in ${range}.`,
    },
  }[where];
  return incompatible(pkg.name, 'contract-version', {
    what,
    ...fixes,
    required: range,
    actual: host.contract,
  });
}

/** The running Node must be in the plugin's `engines.node` range, when it gives one. */
export function nodeVersionRule(pkg: PluginPackage, host: HostVersions): PluginError | undefined {
  const range = nodeRange(pkg);
  if (range === undefined || satisfiesRange(host.node, range)) return undefined;
  return incompatible(pkg.name, 'node-version', {
    what: `Plugin "${pkg.name}" requires Node.js ${range}, but this host runs Node.js ${host.node}.`,
    why: 'Its engines.node range says it relies on a Node.js this host is not.',
    fix: `Run the host on a Node.js version in ${range}, or install a release of ${pkg.name} whose engines.node includes ${host.node}.`,
    required: range,
    actual: host.node,
  });
}
