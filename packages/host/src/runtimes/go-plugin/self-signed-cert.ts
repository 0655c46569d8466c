import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/*
 * A minimal DER writer for one fixed certificate template. Hand-written rather than a library's:
 * the template is ten fields, Node makes the key and the signature and parses the result back
 * (X509Certificate, which generateSelfSigned() does, so a malformed one can never leave here), and
 * the libraries that write ECDSA certificates either patch the global Reflect (@peculiar/x509
 * needs reflect-metadata) or add two more optional peers to @x/host (pkijs and asn1js).
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...content: Buffer[]) => tlv(0x30, ...content);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift(0x80 | (v & 0x7f));
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

const utf8 = (s: string) => tlv(0x0c, Buffer.from(s));
const name = (org: string, cn: string) =>
  seq(tlv(0x31, seq(oid('2.5.4.10'), utf8(org))), tlv(0x31, seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

export interface SelfSignedCert {
  readonly certPem: string;
  readonly keyPem: string;
  readonly der: Buffer;
}

/**
 * An ephemeral self-signed ECDSA P-256 certificate shaped like go-plugin's own generateCert():
 * CN "localhost" and the given DNS names, a CA (it is its own trust root on the other side), usable for
 * client and server auth, valid from 30 s ago for `validMs`.
 */
export function generateSelfSigned(
  organization: string,
  validMs: number,
  dnsNames: readonly string[] = ['localhost'],
): SelfSignedCert {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER
  if (serial[0] === 0) serial[0] = 1; // and minimal: no leading zero byte
  const now = Date.now();
  const subject = name(organization, 'localhost');
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // v3
    tlv(0x02, serial),
    ECDSA_WITH_SHA256,
    subject,
    seq(time(new Date(now - 30_000)), time(new Date(now + validMs))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(
      0xa3,
      seq(
        extension('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff])))), // basicConstraints: CA
        // keyUsage: digitalSignature, keyAgreement, keyCertSign (2 unused bits)
        extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x02, 0x8c]))),
        extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
        // dNSNames (mtls.ts adds "unused": go-plugin before 1.4.5, commit 0d4e9d8, dials brokered
        // connections as grpc.Dial("unused") without a ServerName, and checks the host's
        // certificate for that name). Harmless: each side trusts only the other's pinned certificate.
        extension('2.5.29.17', false, seq(...dnsNames.map((name) => tlv(0x82, Buffer.from(name))))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const cert = new X509Certificate(der); // throws on anything malformed
  if (!cert.verify(publicKey)) throw new Error('the generated certificate does not verify');
  return {
    certPem: cert.toString(),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    der,
  };
}
