import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNI_CONFLIST_FILE, cniConflist, parseIpv4Cidr, writeCniConfig } from './cni-config.ts';

test('cniConflist: bridge + host-local, portmap, loopback, in that order', () => {
  const c = cniConflist({ bridge: 'k8ts0', subnet: '10.42.0.0/24', ipMasq: false, ipamDataDir: '/d/cni/networks' }) as {
    cniVersion: string; name: string; plugins: Record<string, unknown>[];
  };
  assert.equal(c.name, 'k8ts');
  assert.equal(c.cniVersion, '1.0.0');
  assert.deepEqual(c.plugins.map((p) => p.type), ['bridge', 'portmap', 'loopback']);
  assert.deepEqual(c.plugins[0], {
    type: 'bridge', bridge: 'k8ts0', isGateway: true, ipMasq: false, hairpinMode: true,
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.42.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/d/cni/networks' },
  });
  assert.deepEqual(c.plugins[1], { type: 'portmap', capabilities: { portMappings: true } });
});

test('cniConflist: ipMasq defaults to true; mtu passes through', () => {
  const c = cniConflist({ bridge: 'b', subnet: '10.42.1.0/24', mtu: 1400 }) as { plugins: Record<string, unknown>[] };
  assert.equal(c.plugins[0]!.ipMasq, true);
  assert.equal(c.plugins[0]!.mtu, 1400);
});

test('cniConflist: rejects bad bridge names and subnets, naming the value', () => {
  assert.throws(() => cniConflist({ bridge: 'a-very-long-bridge-name', subnet: '10.42.0.0/24' }), /bridge name "a-very-long-bridge-name"/);
  assert.throws(() => cniConflist({ bridge: 'br 0', subnet: '10.42.0.0/24' }), /bridge name "br 0"/);
  assert.throws(() => cniConflist({ bridge: 'k8ts0', subnet: '10.42.0.0' }), /pod subnet "10.42.0.0"/);
  assert.throws(() => parseIpv4Cidr('10.300.0.0/24'), /pod subnet "10.300.0.0\/24"/);
  assert.deepEqual(parseIpv4Cidr('10.42.7.0/24'), ['10.42.7.0', 24]);
});

test('writeCniConfig: writes the conflist atomically, leaving no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-cni-'));
  try {
    const file = writeCniConfig(join(dir, 'net.d'), { bridge: 'k8ts0', subnet: '10.42.0.0/24' });
    assert.equal(file, join(dir, 'net.d', CNI_CONFLIST_FILE));
    assert.deepEqual(readdirSync(join(dir, 'net.d')), [CNI_CONFLIST_FILE]);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).plugins[0].bridge, 'k8ts0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
