export { computeIntegrity, unpinnableEntries } from './compute-integrity.js';
export { findLockfileEntry, type LockfileEntry } from './lockfile-entry.js';
