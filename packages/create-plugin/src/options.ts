export const KINDS = ['greeter', 'transformer'] as const;
export type Kind = (typeof KINDS)[number];

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
  readonly kind: Kind;
  readonly isolation: Isolation;
  readonly pm: PackageManager;
}

/** What the command line said; `undefined` means "ask, or take the default". */
export interface Flags {
  readonly dir?: string;
  readonly name?: string;
  readonly kind?: Kind;
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
export const defaultDir = (kind: Kind) => `my-${kind}-plugin`;
