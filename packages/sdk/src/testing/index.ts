export { chooseIsolations, ISOLATIONS_ENV, type IsolationChoice } from './isolations.js';
export type { LoadedPlugin } from './load.js';
export {
  ALL_ISOLATIONS,
  type Isolation,
  type PluginCase,
  type PluginCases,
  type PluginTestOptions,
} from './options.js';
export { type PluginCheck, type PluginTestGroup, planPluginTests } from './plan.js';
export { type PluginTestResult, runPluginTests } from './run.js';
export { testPlugin } from './vitest.js';
