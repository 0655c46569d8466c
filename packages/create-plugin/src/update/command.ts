import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateError } from '../errors.js';
import { parseUpdateFlags, UPDATE_USAGE } from './args.js';
import { unifiedDiff } from './diff.js';
import { checkCanCommit, commitUpdate } from './git-commit.js';
import { MIGRATIONS, TEMPLATE_VERSION } from './migrations/index.js';
import { loadProject } from './project.js';
import { planUpdate, type UpdatePlan } from './run-migrations.js';

declare const __PKG_VERSION__: string;

export interface UpdateIO {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function summary(plan: UpdatePlan, dir: string): string {
  const lines = [
    plan.from === plan.to
      ? `create-greeter-plugin update: ${dir} is at template ${plan.to}.`
      : `create-greeter-plugin update: template ${plan.from} → ${plan.to} in ${dir}.`,
  ];
  for (const { migration, changed } of plan.ran) {
    const conflicted = plan.conflicts.some((c) => c.migration === migration.id);
    const mark = conflicted ? '✖' : changed ? '✔' : '·';
    const note = conflicted ? ' (conflict, below)' : changed ? '' : ' (nothing to change)';
    lines.push(`  ${mark} ${migration.id}: ${migration.description}${note}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `create-greeter-plugin update [dir] [--write|--commit] [--force]`: prints the template's changes
 * as a unified diff (stdout, so it can be saved and applied), writes them with --write, commits
 * them with --commit; the summary goes to stderr. Resolves to the exit code; a conflict left for
 * the author is ERR_CREATE_UPDATE_CONFLICT, after the rest was printed (and written).
 */
export function runUpdate(argv: readonly string[], io: UpdateIO): number {
  const flags = parseUpdateFlags(argv);
  if (flags.help) {
    io.stdout(UPDATE_USAGE);
    return 0;
  }
  const dir = resolve(io.cwd, flags.dir ?? '.');
  const project = loadProject(dir, TEMPLATE_VERSION);
  if (flags.commit) checkCanCommit(dir);
  const plan = planUpdate(project, MIGRATIONS, TEMPLATE_VERSION, {
    force: flags.force,
    generatorVersion: __PKG_VERSION__,
  });

  io.stdout(unifiedDiff(plan.changes));
  io.stderr(summary(plan, dir));
  if (flags.write) {
    for (const change of plan.changes) writeFileSync(join(dir, change.path), change.after);
    if (flags.commit && plan.changes.length > 0) {
      const body = plan.ran
        .filter((r) => r.changed)
        .map((r) => `- ${r.migration.id}: ${r.migration.description}`);
      commitUpdate(
        dir,
        plan.changes.map((c) => c.path),
        `Update to the create-greeter-plugin template ${plan.to}\n\n${body.join('\n')}\n`,
      );
    }
  }
  const files = plan.changes.length;
  if (files === 0) io.stderr('Nothing to change.\n');
  else if (!flags.write)
    io.stderr(
      `The diff above (${files} file${files === 1 ? '' : 's'}) was not applied: run again with --write to apply it, or --commit to apply and commit it.\n`,
    );
  else
    io.stderr(`Wrote ${files} file${files === 1 ? '' : 's'}${flags.commit ? ' and committed them' : ''}.\n`);

  if (plan.conflicts.length > 0) {
    throw new CreateError({
      code: 'ERR_CREATE_UPDATE_CONFLICT',
      what: `${plan.conflicts.length} template change${plan.conflicts.length === 1 ? ' was' : 's were'} not made: ${plan.conflicts
        .map((c) => `${c.path} (${c.migration}): ${c.reason}`)
        .join('; ')}.`,
      why: `The template owns ${[...new Set(plan.conflicts.map((c) => c.path))].join(', ')}, and you changed ${plan.conflicts.length === 1 ? 'it' : 'them'}: the update never overwrites your edits, and the template stamp stays at ${plan.from} until every change is made.`,
      fix: 'Make the change by hand (the migration’s description says what it is) and run update again, or pass --force to take the template’s version.',
    });
  }
  return 0;
}
