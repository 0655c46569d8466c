import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, HOST_APP, runCliBin as run } from './cli-run.js';

// Every malformed command line: exit 2, `ERR_USAGE: <what is wrong>`, then the synopsis of the
// command at hand; never a stack trace, never ERR_INTERNAL. None of these loads a plugin.
const CALL = /^Usage: x-plugin call <plugin> <method>/m;
const LIST = /^Usage: x-plugin list /m;
const DOCTOR = /^Usage: x-plugin doctor /m;
const ALL = /^Usage: x-plugin call [^\n]*\n {7}x-plugin list [^\n]*\n {7}x-plugin doctor /m;

describe('x-plugin refuses a malformed command line clearly', () => {
  it.each([
    // what is wrong, and whose usage follows
    [
      ['call', 'p', 'm', '--timeout', 'abc'],
      /--timeout must be a whole number of milliseconds from 1 to 2147483647, not "abc"/,
      CALL,
    ],
    [['call', 'p', 'm', '--timeout', '-1'], /--timeout must be .* not "-1"/, CALL],
    [['call', 'p', 'm', '--timeout=-5'], /--timeout must be .* not "-5"/, CALL],
    [['call', 'p', 'm', '--timeout', '0'], /--timeout must be .* not "0"/, CALL],
    [['call', 'p', 'm', '--timeout', '1e99'], /--timeout must be .* not "1e99"/, CALL],
    [['call', 'p', 'm', '--timeout', '1e3'], /not "1e3"/, CALL],
    [['call', 'p', 'm', '--timeout', '0x10'], /not "0x10"/, CALL],
    [['call', 'p', 'm', '--timeout', '2.5'], /not "2\.5"/, CALL],
    [['call', 'p', 'm', '--timeout', 'Infinity'], /not "Infinity"/, CALL],
    [['call', 'p', 'm', '--timeout', '2147483648'], /not "2147483648"/, CALL],
    [['call', 'p', 'm', '--timeout', ' 5'], /not " 5"/, CALL],
    [['call', 'p', 'm', '--timeout'], /Option '--timeout <value>' argument missing/, CALL],
    [['call', 'p', 'm', '--isolation'], /Option '--isolation <value>' argument missing/, CALL],
    [
      ['call', 'p', 'm', '--isolation', 'vm'],
      /--isolation must be one of in-process, worker, process, not "vm"/,
      CALL,
    ],
    [['call', 'p', 'm', '--isolation='], /--isolation must be one of .*, not ""/, CALL],
    [['call', 'p', 'm', '--verbose'], /Unknown option '--verbose'/, CALL],
    [['call', 'p', 'm', '-q'], /Unknown option '-q'/, CALL],
    [['call', 'p', 'm', '--json=yes'], /Option '--json' does not take an argument/, CALL],
    [['call', 'p', 'm', '--dir', 'x'], /The option --dir does not apply to "call"/, CALL],
    [['call'], /call needs a plugin and a method/, CALL],
    [['call', '', 'greet'], /the plugin name or path is empty/, CALL],
    [['call', 'p', ' '], /the method name is empty/, CALL],
    [['call', 'p', 'm', '--cwd', ''], /--cwd needs a directory/, CALL],
    [['list', 'extra'], /list takes no arguments, got "extra"/, LIST],
    [['list', '--json', 'garbage'], /list takes no arguments, got "garbage"/, LIST],
    [['list', '--json=garbage'], /Option '--json' does not take an argument/, LIST],
    [['list', '--timeout', '5'], /The option --timeout does not apply to "list"/, LIST],
    [['list', '--isolation', 'worker'], /The option --isolation does not apply to "list"/, LIST],
    [['list', '--dir'], /Option '--dir <value>' argument missing/, LIST],
    [['list', '--dir', ''], /--dir needs a directory/, LIST],
    [['list', '--cwd'], /Option '--cwd <value>' argument missing/, LIST],
    [['list', '--dir', 'package.json'], /--dir package\.json is not a directory/, LIST],
    [['doctor', '--dir', 'package.json'], /--dir package\.json is not a directory/, DOCTOR],
    [['doctor', '--timeout', '5'], /The option --timeout does not apply to "doctor"/, DOCTOR],
    [['doctor', ''], /doctor was given an empty plugin name/, DOCTOR],
    [['doctor', '--colour'], /Unknown option '--colour'/, DOCTOR],
    [[], /Missing the command/, ALL],
    [['frobnicate'], /Unknown command "frobnicate"/, ALL],
    [['--json'], /Missing the command/, ALL],
  ])('%j: exit 2 with the reason and the usage', async (args, reason, usage) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ERR_USAGE: /);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toMatch(usage);
    expect(result.stderr).not.toMatch(/ERR_INTERNAL|\n\s+at /);
  });

  it('with --json, a refused command line is also a JSON document on stdout', async () => {
    const result = await run(['call', 'p', 'm', '--json', '--timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'ERR_USAGE', message: expect.stringContaining('--timeout must be') },
    });
    // After `--` "--json" is an argument of the call, not the flag.
    const after = await run(['call', 'p', 'm', '--timeout', 'soon', '--', '--json']);
    expect(after).toMatchObject({ code: 2, stdout: '' });
  });

  it('a method that exists only on Object.prototype is ERR_PLUGIN_CONTRACT, not a crash', async () => {
    for (const method of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const result = await run(['call', 'greeter-plugin-english', method]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `ERR_PLUGIN_CONTRACT: The "greeter" contract has no method "${method}". Its methods are: greet, lang. Call one of those methods.\n`,
      );
    }
  });

  it('the largest timeout is taken, and arguments after -- may start with a dash', async () => {
    const result = await run([
      'call',
      'greeter-plugin-english',
      'greet',
      '--timeout',
      '2147483647',
      '--',
      '-1',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: 'Hello, -1! Nice to meet you.\n' });
  });
});

describe('x-plugin when its output cannot be written', () => {
  it('a reader that went away (EPIPE) ends it quietly, exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'list'], {
      cwd: HOST_APP,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // as `x-plugin list | head -0` does
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it.runIf(existsSync('/dev/full'))('a full disk is one coded line on stderr, exit 1, no stack', async () => {
    const child = spawn(process.execPath, [BIN, 'list'], {
      cwd: HOST_APP,
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 1, stderr: 'ERR_OUTPUT: cannot write to stdout (ENOSPC).\n' });
  });
});
