export { deniedApi, isAccessDenied } from './access-denied.js';
export {
  manifestGrants,
  type PermissionGrants,
  type PermissionsOption,
  type ResolvedPermissions,
  resolveGrants,
} from './grants.js';
export { guardSignals } from './guard-signals.js';
export { PERMISSION_FLAG, permissionFlags, signalGuardPath } from './node-flags.js';
export {
  type ApprovePermissions,
  approveManifest,
  type PermissionPolicy,
  type PermissionRequester,
} from './policy.js';
export { packageRoot, readClosure } from './read-closure.js';
