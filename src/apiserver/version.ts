/**
 * What /version reports. The kubectl dispatcher on these machines picks its client by the minor version
 * (KUBECTL-API §0.1): 1.32 keeps clients that speak OpenAPI v3 and aggregated discovery v2.
 */
export const KUBE_VERSION = { major: '1', minor: '32', patch: '4' } as const;

export const versionInfo = {
  major: KUBE_VERSION.major,
  minor: KUBE_VERSION.minor,
  gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+k8ts`,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const versionJson = JSON.stringify(versionInfo);
