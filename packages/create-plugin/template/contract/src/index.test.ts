import { compileContract } from '@x/contract/validate';
{{{contractImport}}}
import { describe, expect, it } from 'vitest';
import { plugin } from './index.js';

// Unit tests: the plugin object itself, straight from the source, no build and no host. Each
// answer is checked against the contract's schemas with the same validators the host uses.
const methods = compileContract(contract).methods;

describe('plugin', () => {
{{{unitTests}}}
});
