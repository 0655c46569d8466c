import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSelfSigned } from './self-signed-cert.js';

describe('generateSelfSigned', () => {
  it("makes a certificate shaped like go-plugin's: localhost, a CA, client and server auth, its own issuer", () => {
    const { certPem, keyPem, der } = generateSelfSigned('x-plugin-kit', 86_400_000);
    const cert = new X509Certificate(certPem);
    expect(cert.raw.equals(der)).toBe(true);
    expect(cert.subject).toBe('O=x-plugin-kit\nCN=localhost');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.ca).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:localhost');
    expect(
      new X509Certificate(generateSelfSigned('o', 1000, ['localhost', 'unused']).certPem).subjectAltName,
    ).toBe('DNS:localhost, DNS:unused');
    expect(cert.keyUsage?.sort()).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(to - from).toBeGreaterThan(86_400_000);
  });

  it('makes a new key and serial number each time', () => {
    const a = new X509Certificate(generateSelfSigned('o', 1000).certPem);
    const b = new X509Certificate(generateSelfSigned('o', 1000).certPem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.fingerprint256).not.toBe(b.fingerprint256);
  });
});
