import type { ContractJson } from '@x/contract';

export const KINDS = ['greeter', 'transformer'] as const;
export type Kind = (typeof KINDS)[number];

/** A kind of template: a built-in contract's, or `contract`, for any contract package (--contract). */
export type TemplateKind = Kind | 'contract';

export const ISOLATIONS = ['in-process', 'worker', 'process'] as const;
export type Isolation = (typeof ISOLATIONS)[number];

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** Everything the generator needs, whether it came from flags, prompts or defaults. */
export interface Answers {
  /** The target folder, absolute. */
  readonly dir: string;
  /** The package name. */
  readonly name: string;
  readonly kind: TemplateKind;
  readonly isolation: Isolation;
  readonly pm: PackageManager;
  /** With --contract: the contract package, loaded, that the plugin implements. */
  readonly contract?: ContractSource;
}

/** A contract package read at generation time (src/contract-package.ts). */
export interface ContractSource {
  /** What xPlugin.contract will say: `<package>` or `<package>#<export>`. */
  readonly spec: string;
  readonly packageName: string;
  /** The package's version: the plugin's peer range is `^` it. */
  readonly packageVersion: string;
  /** The export holding the contract (`default` when the package's default export is it). */
  readonly exportName: string;
  /** The contract as JSON (every shorthand a schema, optional params marked). */
  readonly json: ContractJson;
}

/** What the command line said; `undefined` means "ask, or take the default". */
export interface Flags {
  readonly dir?: string;
  readonly name?: string;
  readonly kind?: Kind;
  /** A contract package (`<package>[#<export>]`) instead of a built-in kind. */
  readonly contract?: string;
  readonly isolation?: Isolation;
  readonly pm?: PackageManager;
  readonly yes: boolean;
  readonly install: boolean;
  readonly git: boolean;
  readonly force: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

export const DEFAULTS = { kind: 'greeter', isolation: 'in-process' } as const;
export const defaultDir = (kind: string) => `my-${kind}-plugin`;
