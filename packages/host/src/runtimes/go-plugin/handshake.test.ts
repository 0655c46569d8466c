import { describe, expect, it } from 'vitest';
import { parseHandshake } from './handshake.js';

const codeAndWhy = (line: string, offered = [1]) => {
  try {
    parseHandshake('p', line, offered);
  } catch (error) {
    return { code: (error as { code: string }).code, why: (error as { why: string }).why };
  }
  return undefined;
};

describe('parseHandshake', () => {
  it("reads go-plugin's line, with or without the trailing certificate field", () => {
    expect(parseHandshake('p', '1|1|unix|/tmp/plugin123|grpc|\n', [1])).toEqual({
      appProtocolVersion: 1,
      network: 'unix',
      address: '/tmp/plugin123',
      serverCert: undefined,
    });
    // AutoMTLS: the plugin's certificate, read by mtls.ts.
    expect(parseHandshake('p', '1|1|unix|/s|grpc|MIIB', [1]).serverCert).toBe('MIIB');
    expect(parseHandshake('p', '1|3|tcp|127.0.0.1:10000|grpc', [2, 3]).network).toBe('tcp');
  });

  it('refuses a malformed line, another core or app version, and net/rpc, naming both sides', () => {
    expect(codeAndWhy('hello world')?.code).toBe('ERR_PLUGIN_HANDSHAKE');
    expect(codeAndWhy('2|1|unix|/s|grpc')?.why).toMatch(/core protocol 2; this host speaks 1/);
    expect(codeAndWhy('1|4|unix|/s|grpc', [1, 2])?.why).toMatch(
      /chose app protocol version 4; the host offered 1, 2/,
    );
    expect(codeAndWhy('1|1|unix|/s|netrpc')?.why).toMatch(/"netrpc".*only "grpc"/);
  });
});
