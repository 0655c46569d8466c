import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareContracts, contractToJson, defineContract, greeter, t } from '@x/contract';
import { afterEach, expect, it } from 'vitest';
import { writeContractFile } from './write-contract-file.js';

const dir = mkdtempSync(join(tmpdir(), 'x-sdk-build-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("writes the contract's JSON form beside package.json, which compares equal to the contract", () => {
  const shapes = defineContract({
    name: 'shapes',
    version: '1.2.0',
    methods: { area: { params: [{ name: 'box', type: t.object({ w: t.number() }) }], returns: t.number() } },
  });
  const file = writeContractFile(shapes, dir);
  expect(file).toBe(join(dir, 'x-plugin.contract.json'));
  const json = JSON.parse(readFileSync(file, 'utf8'));
  expect(json).toEqual(contractToJson(shapes));
  expect(compareContracts(shapes, json)).toEqual({ compatible: true, changes: [] });
  expect(compareContracts(greeter, json).compatible).toBe(false);
});
