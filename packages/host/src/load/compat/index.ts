export { currentHostVersions, type HostVersions } from './host-versions.js';
export {
  type IncompatibleReason,
  incompatible,
  incompatibleError,
  manifestWarning,
  type ProblemJson,
  problemJson,
} from './problems.js';
export { contractNameRule, contractRange, contractVersionRule, nodeRange, nodeVersionRule } from './rules.js';
export { compatibleLine, outsideWhere, parseRange, parseVersion, satisfiesRange } from './semver-policy.js';
export { stampProblems } from './stamp.js';
export { assertCompatible, type CompatVerdict, compatibilityOf } from './verdict.js';
