export { deniedApi, isAccessDenied } from './access-denied.js';
export {
  manifestGrants,
  type PermissionGrants,
  type PermissionsOption,
  type ResolvedPermissions,
  resolveGrants,
} from './grants.js';
export { PERMISSION_FLAG, permissionFlags } from './node-flags.js';
export { packageRoot, readClosure } from './read-closure.js';
