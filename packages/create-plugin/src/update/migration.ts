/**
 * A generated project as the update sees it: the files on disk, with the edits of the migrations
 * that ran before this one laid over them, so that two migrations can edit one file in turn.
 */
export interface Project {
  /** The project's folder, absolute. */
  readonly dir: string;
  /** A file's text ("/"-separated path relative to `dir`), or undefined when there is none. */
  read(path: string): string | undefined;
}

export interface MigrationContext {
  /** --force: overwrite a template-owned file or field the author changed instead of reporting it. */
  readonly force: boolean;
  /** This generator's version: the @x/* packages it is released with. */
  readonly generatorVersion: string;
}

/** A file's whole new text. Migrations only ever write the files the template owns. */
export interface FileEdit {
  readonly path: string;
  readonly content: string;
}

/** A template-owned file or field the author changed: left alone (unless --force), and why. */
export interface Conflict {
  readonly path: string;
  readonly reason: string;
}

export interface MigrationResult {
  readonly edits: readonly FileEdit[];
  readonly conflicts: readonly Conflict[];
}

/**
 * One change of the template, as the edits that bring a project made before it up to date.
 * `apply` must be idempotent (a project that already has the change gets no edit): a run that
 * stopped at a conflict leaves the template stamp where it was, and the next run applies every
 * migration again.
 */
export interface Migration {
  /** `NNNN-name`, as its file is named; the order migrations run in. */
  readonly id: string;
  /** One line for the summary, e.g. `add a "dev" script (tsup --watch)`. */
  readonly description: string;
  /** The template version this migration starts from, and the one it brings a project to. */
  readonly from: string;
  readonly to: string;
  /**
   * Runs on every update whatever the project's stamp: for what follows the generator's release
   * rather than the template (the @x/* ranges).
   */
  readonly always?: boolean;
  apply(project: Project, context: MigrationContext): MigrationResult;
}

export const NO_CHANGE: MigrationResult = { edits: [], conflicts: [] };
