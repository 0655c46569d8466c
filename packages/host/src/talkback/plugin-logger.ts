import type { PluginLogger } from '@x/contract';
import type { Logger } from '../logger.js';

/** `ctx.logger` of an in-process plugin: the host's logger, tagged with the plugin's name. */
export function pluginLogger(plugin: string, logger: Logger): PluginLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
      logger.log(level, String(message), { ...fields, plugin, stream: 'log' });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
