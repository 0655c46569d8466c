import { PluginError } from '@x/contract';

/** A stream method of a plugin whose runtime cannot carry streams (go-plugin, until its broker lands). */
export function streamsUnsupported(plugin: string, contract: string, method: string): PluginError {
  return new PluginError({
    code: 'ERR_PLUGIN_CONTRACT',
    plugin,
    what: `${contract}.${method} returns a stream, which this kind of plugin cannot send.`,
    why: 'Streams run in-process, in a worker or in a process; go-plugin streams are not supported yet.',
    fix: 'Load the plugin in another isolation, or use a method that returns a value.',
    details: { method },
  });
}
