import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineContract, t, transfer } from '@x/contract';
import { abab } from '../../../scripts/bench/index.mjs';
import { loadPlugin, silentLogger } from '../dist/index.js';
import { bytesWorker, bareWorker } from './raw-echo.mjs';
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
mkdirSync(join(dir, 'node_modules', '@x'), { recursive: true });
symlinkSync(join(import.meta.dirname, '../../contract'), join(dir, 'node_modules', '@x', 'contract'), 'dir');
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', type: 'module', keywords: ['x-plugin'], exports: './index.js', xPlugin: { contract: 'echo' }, peerDependencies: { '@x/contract': '^1.0.0' } }));
writeFileSync(join(dir, 'index.js'), "import { transfer } from '@x/contract';\nexport const plugin = { echo: (b) => transfer(b), greet: (s) => 'Hello, ' + s };\n");
const echo = defineContract({ name: 'echo', methods: { echo: { params: [{ name: 'bytes', type: t.bytes() }], returns: t.bytes() }, greet: { params: [{ name: 's', type: t.string() }], returns: t.string() } } });
const h = await loadPlugin(dir, { isolation: 'worker', contract: echo, logger: silentLogger });
const raw = await bytesWorker();
const bare = await bareWorker();
const med = (a) => { const s = [...a].sort((x, y) => x - y); return (s[s.length >> 1] * 1000).toFixed(1); };
let mine = new Uint8Array(1 << 20), own = new Uint8Array(1 << 20);
for (let r = 0; r < 3; r++) {
  const x = await abab(async () => { mine = await h.call('echo', [transfer(mine)]); }, async () => { own = await raw.send(own); }, { pairs: 1000, warmup: 100 });
  const y = await abab(() => h.call('greet', ['World']), () => bare.send(), { pairs: 1000, warmup: 100 });
  console.log('bytes transfer', med(x.a), 'raw', med(x.b), '| greet', med(y.a), 'bare', med(y.b));
}
await h.close(); await raw.close(); await bare.close(); rmSync(dir, { recursive: true, force: true });
