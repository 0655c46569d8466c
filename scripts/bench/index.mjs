// What every bench file shares: interleaved sampling, percentiles, the tables and the machine check.
export { abab, rounds } from './interleave.mjs';
export { describeMachine, machineState } from './machine.mjs';
export { fmt, MEASUREMENT_ERROR_BELOW, printSummary, printTable } from './report.mjs';
export { compareRounds, median, quantile, spread } from './stats.mjs';
