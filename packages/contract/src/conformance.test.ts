import { describe, expect, it } from 'vitest';
import { checkConformance } from './conformance.js';
import { greeter } from './v1/greeter.js';

describe('checkConformance', () => {
  it('accepts an object with every method', () => {
    const value = { greet: (n: string) => `Hello, ${n}`, lang: () => 'English' };
    expect(checkConformance(greeter, value)).toEqual({ ok: true, value });
  });

  it('accepts a class instance whose methods live on the prototype', () => {
    class English {
      greet(n: string) {
        return n;
      }
      lang() {
        return 'English';
      }
    }
    expect(checkConformance(greeter, new English()).ok).toBe(true);
  });

  it('lists every missing member and every member of the wrong kind', () => {
    const result = checkConformance(greeter, { greet: 'hello' });
    expect(result).toEqual({
      ok: false,
      problems: [
        { member: 'greet', expected: 'function (name: string) => string', actual: 'string' },
        { member: 'lang', expected: 'function () => string', actual: 'missing' },
      ],
    });
  });

  it.each([null, undefined, 42, 'greeter', true])('rejects a non-object export (%s)', (value) => {
    const result = checkConformance(greeter, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.member).toBe('(export)');
  });
});
