import { fileURLToPath } from 'node:url';
import { transformer } from '@x/contract';
import { createHost } from '@x/host';

// What Go's plugin package cannot do: unload a plugin, and load it again. An isolated plugin
// lives in its own process, so close() ends it for good and the next load() starts a fresh one.
const host = createHost({ cwd: fileURLToPath(new URL('..', import.meta.url)) });

for (const round of [1, 2]) {
  const upper = await host.load('transformer-plugin-upper', { contract: transformer, isolation: 'process' });
  console.log(`[load ${round}] ${await upper.plugin.transform('Hello, World!')} (pid ${upper.pid})`);
  const pid = upper.pid;
  await upper.close();
  console.log(`[unload ${round}] closed: ${upper.closed}, process ${pid} running: ${isRunning(pid)}`);
}

await host.close();

function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
