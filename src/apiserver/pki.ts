/**
 * The cluster's certificates, created on first start in DATA/pki and reused afterwards:
 * a CA (ECDSA P-256, 10 years), the API server's serving certificate (re-issued when its SANs no longer cover
 * what is asked or it nears expiry) and the admin client certificate (CN system:admin, O system:masters).
 *
 *   const pki = await ensurePki('/var/lib/k8ts', { sans: ['k8ts.example'] });
 *   const alice = await issueClientCert(pki.ca, 'alice', ['dev']);
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const subtle = webcrypto.subtle;
const ecParams = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface CertKeyPair {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

export interface Pki {
  ca: CertKeyPair;
  server: CertKeyPair;
  admin: CertKeyPair;
  /** What the API server presents to agents when it proxies pod streams. */
  agentClient: CertKeyPair;
  dir: string;
}

export interface PkiOptions {
  /** Extra subject alternative names for the serving certificate (DNS names or IPs). */
  sans?: string[];
  /** Called when a certificate is (re)created. */
  onCreate?: (what: string, file: string) => void;
}

/** The SANs every serving certificate carries, plus `extra`. */
export function servingSans(extra: string[] = []): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), 'kubernetes', 'kubernetes.default', ...extra].filter(Boolean))];
}

const toPem = (der: ArrayBuffer, label: string) => {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END ${label}-----\n`;
};

const fromPem = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

async function newKeys(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(ecParams, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return toPem(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', fromPem(pem), ecParams, true, ['sign']);
}

const randomSerial = () => {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
};

/** A fresh self-signed CA. */
export async function createCa(commonName = 'k8ts-ca', years = 10): Promise<CertKeyPair> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [`${commonName}@${Math.floor(now / 1000)}`] }],
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + years * 365 * DAY),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

interface LeafOptions {
  subject: x509.JsonName;
  usage: 'server' | 'client';
  sans?: string[];
  days: number;
}

async function issue(ca: CertKeyPair, opts: LeafOptions): Promise<CertKeyPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importSigningKey(ca.key);
  const keys = await newKeys();
  const now = Date.now();
  const notAfter = Math.min(now + opts.days * DAY, caCert.notAfter.getTime());
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (opts.sans?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(opts.sans.map((s) => (isIP(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }))),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: opts.subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm,
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

/** A serving certificate for `sans` (DNS names and IP addresses), valid one year. */
export function issueServingCert(ca: CertKeyPair, sans: string[], days = 365): Promise<CertKeyPair> {
  return issue(ca, { subject: [{ CN: ['k8ts-apiserver'] }], usage: 'server', sans, days });
}

/** A client certificate for user `user` in `groups` (CN = user, one O per group), valid one year by default. */
export function issueClientCert(ca: CertKeyPair, user: string, groups: string[] = [], days = 365): Promise<CertKeyPair> {
  if (!user) throw new Error('issueClientCert: user must not be empty');
  const subject: x509.JsonName = [...groups.map((g) => ({ O: [g] })), { CN: [user] }];
  return issue(ca, { subject, usage: 'client', days });
}

/** True when `certPem` is valid for at least `days` more days and covers every SAN in `sans`. */
export function coversSans(certPem: string, sans: string[], days = 30): boolean {
  const cert = new NodeX509(certPem);
  if (Date.parse(cert.validTo) - Date.now() < days * DAY) return false;
  return sans.every((s) => (isIP(s) ? cert.checkIP(s) !== undefined : cert.checkHost(s) !== undefined));
}

async function readPair(dir: string, name: string): Promise<CertKeyPair | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(join(dir, `${name}.crt`), 'utf8'), readFile(join(dir, `${name}.key`), 'utf8')]);
    return { cert, key };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePair(dir: string, name: string, pair: CertKeyPair): Promise<void> {
  await writeFile(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
  await writeFile(join(dir, `${name}.crt`), pair.cert, { mode: 0o644 });
}

/** The PKI directory inside a data dir. */
export const pkiDir = (dataDir: string) => join(dataDir, 'pki');

/** Loads DATA/pki, creating whatever is missing (and re-issuing a serving certificate that no longer fits). */
export async function ensurePki(dataDir: string, options: PkiOptions = {}): Promise<Pki> {
  const dir = pkiDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let created = false;
  let ca = await readPair(dir, 'ca');
  if (!ca) {
    ca = await createCa();
    await writePair(dir, 'ca', ca);
    options.onCreate?.('ca', join(dir, 'ca.crt'));
    created = true;
  }
  const sans = servingSans(options.sans);
  let server = created ? undefined : await readPair(dir, 'server');
  if (!server || !coversSans(server.cert, sans) || !signedBy(server.cert, ca.cert)) {
    server = await issueServingCert(ca, sans);
    await writePair(dir, 'server', server);
    options.onCreate?.('serving certificate', join(dir, 'server.crt'));
  }
  let admin = created ? undefined : await readPair(dir, 'admin');
  if (!admin || !coversSans(admin.cert, []) || !signedBy(admin.cert, ca.cert)) {
    admin = await issueClientCert(ca, 'system:admin', ['system:masters'], 3650);
    await writePair(dir, 'admin', admin);
    options.onCreate?.('admin client certificate', join(dir, 'admin.crt'));
  }
  let agentClient = created ? undefined : await readPair(dir, 'agent-client');
  if (!agentClient || !coversSans(agentClient.cert, []) || !signedBy(agentClient.cert, ca.cert)) {
    agentClient = await issueClientCert(ca, 'kube-apiserver-kubelet-client', ['system:masters']);
    await writePair(dir, 'agent-client', agentClient);
    options.onCreate?.('agent client certificate', join(dir, 'agent-client.crt'));
  }
  return { ca, server, admin, agentClient, dir };
}

/** Loads the CA of a data dir (for `k8ts kubeconfig`); throws a readable error when there is none. */
export async function loadCa(dataDir: string): Promise<CertKeyPair> {
  const ca = await readPair(pkiDir(dataDir), 'ca');
  if (!ca) throw new Error(`no CA in ${pkiDir(dataDir)}: start "k8ts server --data-dir ${dataDir}" once first`);
  return ca;
}

function signedBy(certPem: string, caPem: string): boolean {
  try {
    return new NodeX509(certPem).verify(new NodeX509(caPem).publicKey);
  } catch {
    return false;
  }
}
