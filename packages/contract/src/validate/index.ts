// `@x/contract/validate`: the compiled validators. Their own entry because they carry TypeBox's
// compiler (~150 KB bundled), which a plugin, loading only its contract from the main entry in
// every worker and child process, never needs: the host and test tools import it.
export {
  type CompiledContract,
  type CompiledMethod,
  compileContract,
  type SchemaProblem,
} from '../schema/compile-contract.js';
