const MARKER = Symbol.for('x.create-plugin.error');

export type CreateErrorCode =
  | 'ERR_CREATE_ARGS'
  | 'ERR_CREATE_NAME'
  | 'ERR_CREATE_DIR'
  | 'ERR_CREATE_CONTRACT'
  | 'ERR_CREATE_GENERATE'
  | 'ERR_CREATE_INSTALL'
  | 'ERR_CREATE_CANCELLED'
  | 'ERR_CREATE_UPDATE_PROJECT'
  | 'ERR_CREATE_UPDATE_VERSION'
  | 'ERR_CREATE_UPDATE_CONFLICT'
  | 'ERR_CREATE_UPDATE_GIT';

/**
 * Every failure the generator reports to its user: a code, and a message in three parts (what
 * happened, why, how to fix it), the same shape as the host's PluginError. Not a PluginError itself:
 * no plugin is involved yet, and the generator must not depend on @x/contract at run time.
 */
export class CreateError extends Error {
  readonly code: CreateErrorCode;
  readonly what: string;
  readonly why: string;
  readonly fix: string;

  constructor(options: { code: CreateErrorCode; what: string; why: string; fix: string; cause?: unknown }) {
    const { code, what, why, fix, cause } = options;
    super(`${what} ${why} ${fix}`, cause === undefined ? undefined : { cause });
    this.name = 'CreateError';
    this.code = code;
    this.what = what;
    this.why = why;
    this.fix = fix;
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  static isInstance(value: unknown): value is CreateError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Ctrl-C (or Escape) at a prompt: nothing has been written yet, and nothing will be. */
export function cancelled(): CreateError {
  return new CreateError({
    code: 'ERR_CREATE_CANCELLED',
    what: 'Cancelled.',
    why: 'A prompt was interrupted before anything was written.',
    fix: 'Nothing was created; run the command again when you are ready.',
  });
}
