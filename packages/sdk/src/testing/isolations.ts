import { ALL_ISOLATIONS, type Isolation } from './options.js';

export const ISOLATIONS_ENV = 'X_PLUGIN_TEST_ISOLATIONS';

export interface IsolationChoice {
  readonly isolation: Isolation;
  /** Why this mode is not run, when it is not. */
  readonly skipped?: string;
}

/** The modes asked for, each marked run or skipped according to X_PLUGIN_TEST_ISOLATIONS. */
export function chooseIsolations(
  requested: readonly Isolation[] = ALL_ISOLATIONS,
  env: string | undefined = process.env[ISOLATIONS_ENV],
): IsolationChoice[] {
  for (const mode of requested) {
    if (!ALL_ISOLATIONS.includes(mode)) {
      throw new TypeError(`testPlugin: unknown isolation "${mode}"; use ${ALL_ISOLATIONS.join(', ')}.`);
    }
  }
  if (env === undefined || env.trim() === '') return requested.map((isolation) => ({ isolation }));
  const allowed = env.split(',').map((s) => s.trim());
  for (const mode of allowed) {
    if (!ALL_ISOLATIONS.includes(mode as Isolation)) {
      throw new TypeError(
        `${ISOLATIONS_ENV}="${env}" names an unknown isolation "${mode}"; use ${ALL_ISOLATIONS.join(', ')}.`,
      );
    }
  }
  return requested.map((isolation) =>
    allowed.includes(isolation)
      ? { isolation }
      : { isolation, skipped: `${ISOLATIONS_ENV}=${env} leaves "${isolation}" out` },
  );
}
