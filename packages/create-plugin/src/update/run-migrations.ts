import { setJson } from './json-edit.js';
import type { Conflict, Migration, MigrationContext } from './migration.js';
import { type LoadedProject, TEMPLATE_OWNED } from './project.js';
import { compareVersions, STAMP_FIELD } from './template-version.js';

export interface FileChange {
  readonly path: string;
  /** undefined: the file is new. */
  readonly before: string | undefined;
  readonly after: string;
}

export interface UpdatePlan {
  readonly from: string;
  readonly to: string;
  /** The migrations that ran (selected by the stamp, or `always`), in order, each with what it did. */
  readonly ran: readonly { readonly migration: Migration; readonly changed: boolean }[];
  readonly changes: readonly FileChange[];
  readonly conflicts: readonly (Conflict & { readonly migration: string })[];
}

/**
 * Runs the migrations a project needs, on an overlay of its files (nothing is written here), and
 * stamps the new template version, but only when nothing conflicted: a conflict left for the
 * author keeps the old stamp, so that the next run (after a merge by hand, or with --force) tries
 * that migration again. Every migration is idempotent, so running the others again is harmless.
 */
export function planUpdate(
  project: LoadedProject,
  migrations: readonly Migration[],
  templateVersion: string,
  context: MigrationContext,
): UpdatePlan {
  const overlay = new Map<string, string>();
  const view = { dir: project.dir, read: (path: string) => overlay.get(path) ?? project.read(path) };
  const ran: { migration: Migration; changed: boolean }[] = [];
  const conflicts: (Conflict & { migration: string })[] = [];
  for (const migration of migrations) {
    if (!migration.always && compareVersions(migration.to, project.templateVersion) <= 0) continue;
    const result = migration.apply(view, context);
    for (const edit of result.edits) {
      // The promise to the author, kept here once rather than trusted to each migration.
      if (!TEMPLATE_OWNED.includes(edit.path))
        throw new Error(
          `create-greeter-plugin bug: migration ${migration.id} edits ${edit.path}, not a template file`,
        );
      overlay.set(edit.path, edit.content);
    }
    for (const conflict of result.conflicts) conflicts.push({ ...conflict, migration: migration.id });
    ran.push({ migration, changed: result.edits.length > 0 });
  }
  const upgrading = compareVersions(templateVersion, project.templateVersion) > 0;
  if (conflicts.length === 0 && (upgrading || !project.stamped)) {
    const pkg = view.read('package.json')!;
    overlay.set('package.json', setJson(pkg, [STAMP_FIELD, 'template'], templateVersion));
  }
  const changes: FileChange[] = [];
  for (const [path, after] of [...overlay].sort(([a], [b]) => a.localeCompare(b))) {
    const before = project.read(path);
    if (before !== after) changes.push({ path, before, after });
  }
  return { from: project.templateVersion, to: templateVersion, ran, changes, conflicts };
}
