import { createHost } from '../host.js';
import { locate } from '../load/locate.js';
import { readManifest } from '../load/read-manifest.js';
import { stderrLogger } from '../logger.js';
import type { Isolation } from '../manifest.js';
import type { ParsedArgs } from './args.js';
import { type CliIo, EXIT } from './io.js';

/**
 * `x-plugin dev <plugin>`: loads the plugin with `watch: true` and keeps it until Ctrl-C (SIGINT)
 * or SIGTERM. An in-process plugin runs in a worker here, since Node cannot import changed code
 * again; reloads, failed reloads and hangs are logged on stderr. `stop` ends it (tests).
 */
export async function devCommand(args: ParsedArgs, io: CliIo, stop?: Promise<void>): Promise<number> {
  const [plugin] = args.positionals as [string];
  const host = createHost({ cwd: args.cwd, logger: stderrLogger });
  try {
    const pkg = readManifest(locate(plugin, args.cwd ?? process.cwd()), plugin);
    const ownProgram = pkg.manifest.command !== undefined || pkg.manifest.protocol === 'go-plugin';
    const preferred = pkg.manifest.isolation;
    const isolation: Isolation =
      args.isolation ?? (ownProgram ? 'process' : preferred === 'in-process' ? 'worker' : preferred);
    if (args.isolation === undefined && preferred === 'in-process' && !ownProgram) {
      io.err(
        `${pkg.name} prefers in-process; dev runs it in a worker, so that each change loads fresh code.\n`,
      );
    }
    const handle = await host.load(plugin, { isolation, watch: true });
    io.err(
      `Watching ${handle.name} ${handle.version} (${handle.isolation}) in ${handle.dir}: every change reloads it. Ctrl-C stops.\n`,
    );
    await (stop ?? untilSignal());
    return EXIT.ok;
  } finally {
    await host.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
