import type { AnyContract } from '@x/contract';
import type { PluginPackage } from '../../manifest.js';
import { badOption } from '../../options/option-error.js';
import type { ResolvedLoadOptions } from '../../options/resolve-load-options.js';
import type { Launch } from '../x-protocol/start-isolated.js';
import { type GroupIsolate, startGroupIsolate } from './group-isolate.js';

/** The options that shape the shared isolate itself: every member must ask for the same. */
const SHARED = ['isolation', 'env', 'execArgv', 'maxHeapMb'] as const;
type Shared = Readonly<Record<(typeof SHARED)[number], string>>;

interface Slot {
  readonly shared: Shared;
  readonly isolation: 'worker' | 'process';
  /** Handles loaded into the group and not closed (joined or not: a lazy or idle one counts). */
  members: number;
  current: Promise<GroupIsolate> | undefined;
}

/** One member's place in its group: how it starts (joins the running isolate, or starts one), and its release on close. */
export interface GroupMember {
  readonly launch: Launch;
  release(): void;
}

/** The isolation groups of one host, by name. */
export interface GroupRegistry {
  member(
    pkg: PluginPackage,
    entry: string,
    isolation: 'worker' | 'process',
    options: ResolvedLoadOptions,
    contract: AnyContract,
  ): GroupMember;
}

const sharedOf = (isolation: string, options: ResolvedLoadOptions): Shared => ({
  isolation: JSON.stringify(isolation),
  env: JSON.stringify(Object.entries(options.env).sort(([a], [b]) => (a < b ? -1 : 1))),
  execArgv: JSON.stringify(options.execArgv),
  maxHeapMb: JSON.stringify(options.maxHeapMb ?? null),
});

/**
 * Groups live as long as one of their members' handles: a group whose last member closed is
 * forgotten, and the next load of that name may start it with other options.
 */
export function createGroupRegistry(): GroupRegistry {
  const slots = new Map<string, Slot>();
  return {
    member(pkg, entry, isolation, options, contract) {
      const name = options.group!;
      const shared = sharedOf(isolation, options);
      let slot = slots.get(name);
      if (slot === undefined) {
        slot = { shared, isolation, members: 0, current: undefined };
        slots.set(name, slot);
      } else {
        const option = SHARED.find((key) => slot!.shared[key] !== shared[key]);
        if (option !== undefined) {
          throw badOption(
            pkg.name,
            option,
            `group "${name}" runs with ${option} ${slot.shared[option]}, and this plugin asks for ${shared[option]}: its members share one ${slot.isolation === 'worker' ? 'worker' : 'process'}, which has one of each`,
            `Load it with the same "${option}" as the group's other members, or in a group of its own.`,
            options[option === 'isolation' ? 'isolation' : option] ?? isolation,
          );
        }
      }
      const own = slot;
      own.members++;
      let released = false;
      // The running isolate, or a new one when there is none (or it ended): members restarting
      // after the same crash all join the one new isolate.
      // Started with the options of the member that needs it now (its signal, logger, startTimeout):
      // those that shape the isolate are the same for every member.
      const isolate = (): Promise<GroupIsolate> => {
        const running = own.current;
        const fresh = () => {
          const started = startGroupIsolate({ name, isolation: own.isolation, options });
          own.current = started;
          started.catch(() => {
            if (own.current === started) own.current = undefined;
          });
          return started;
        };
        if (running === undefined) return fresh();
        return running.then(
          async (i) => {
            await i.unloaded();
            return i.usable ? i : own.current === running ? fresh() : isolate();
          },
          () => (own.current === running ? fresh() : isolate()),
        );
      };
      return {
        launch: async () => (await isolate()).join(pkg, entry, options, contract),
        release() {
          if (released) return;
          released = true;
          if (--own.members === 0 && slots.get(name) === own) slots.delete(name);
        },
      };
    },
  };
}

/** The groups of loadPlugin(), which has no host: one registry for the whole process. */
export const processGroups: GroupRegistry = createGroupRegistry();
