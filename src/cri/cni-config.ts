// The CNI network every pod on a node joins: a Linux bridge with host-local IPAM over the
// node's pod subnet, portmap for hostPort, and loopback.
//
//   writeCniConfig(paths.cniConfDir, { bridge: 'k8ts0', subnet: '10.42.0.0/24' });
//
// containerd's CRI plugin reads the first conflist in its conf_dir (max_conf_num = 1) and
// reloads it when the file changes, so write it before the first RunPodSandbox.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CNI_NETWORK_NAME = 'k8ts';
export const CNI_CONFLIST_FILE = '10-k8ts.conflist';

export interface CniConfigOptions {
  /** Bridge device name (max 15 chars), e.g. "k8ts0". */
  bridge: string;
  /** The node's pod subnet, e.g. "10.42.0.0/24"; the bridge takes its first address. */
  subnet: string;
  /** Masquerade pod traffic leaving the subnet (default true; tests pass false). */
  ipMasq?: boolean;
  /** MTU of the bridge and veths (default: the plugin's, 1500). */
  mtu?: number;
  /** Where host-local keeps its leases (default /var/lib/cni/networks). */
  ipamDataDir?: string;
}

/** Validates an IPv4 CIDR and returns [network, prefix]; throws naming the bad value. */
export function parseIpv4Cidr(cidr: string): [string, number] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 30) {
    throw new Error(`pod subnet ${JSON.stringify(cidr)}: want an IPv4 CIDR with a prefix of /8 to /30, e.g. 10.42.0.0/24`);
  }
  return [octets.join('.'), prefix];
}

export function cniConflist(opts: CniConfigOptions): object {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(opts.bridge)) {
    throw new Error(`bridge name ${JSON.stringify(opts.bridge)}: want 1-15 characters of [A-Za-z0-9_.-]`);
  }
  parseIpv4Cidr(opts.subnet);
  return {
    cniVersion: '1.0.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: opts.bridge,
        isGateway: true,
        ipMasq: opts.ipMasq ?? true,
        hairpinMode: true,
        ...(opts.mtu ? { mtu: opts.mtu } : {}),
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: opts.subnet }]],
          routes: [{ dst: '0.0.0.0/0' }],
          ...(opts.ipamDataDir ? { dataDir: opts.ipamDataDir } : {}),
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'loopback' },
    ],
  };
}

/** Writes the conflist atomically into confDir; returns its path. */
export function writeCniConfig(confDir: string, opts: CniConfigOptions): string {
  mkdirSync(confDir, { recursive: true });
  const file = join(confDir, CNI_CONFLIST_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(cniConflist(opts), null, 2) + '\n');
  renameSync(tmp, file);
  return file;
}
