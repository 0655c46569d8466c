import { describe, expect, it } from 'vitest';
import { parseFlags } from './args.js';

describe('parseFlags', () => {
  it('reads every flag of DESIGN.md', () => {
    expect(
      parseFlags([
        'dir',
        '--kind',
        'transformer',
        '--isolation',
        'process',
        '--pm',
        'yarn',
        '--yes',
        '--no-install',
        '--no-git',
        '--force',
      ]),
    ).toMatchObject({
      dir: 'dir',
      kind: 'transformer',
      isolation: 'process',
      pm: 'yarn',
      yes: true,
      install: false,
      git: false,
      force: true,
    });
  });

  it('defaults to asking, installing and committing', () => {
    expect(parseFlags([])).toMatchObject({
      dir: undefined,
      yes: false,
      install: true,
      git: true,
      force: false,
    });
  });

  it('refuses bad choices and unknown flags with the reason', () => {
    expect(() => parseFlags(['--kind', 'printer'])).toThrow(
      '--kind printer is not a valid choice. --kind takes one of: greeter, transformer.',
    );
    expect(() => parseFlags(['--frobnicate'])).toThrow(/Unknown option '--frobnicate'.*--help/);
    expect(() => parseFlags(['a', 'b'])).toThrow(/Too many arguments: a b/);
  });
});
