import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSandboxConfig, parseResolvConf, podDnsConfig } from './sandbox-config.ts';
import { testPod } from './test-fakes.ts';

test('buildSandboxConfig: metadata, hostname, log dir, labels, ports, cgroup, security', () => {
  const pod = testPod('web', {
    hostname: '',
    containers: [{ name: 'web', image: 'x:1', ports: [{ containerPort: 8080, hostPort: 18080 }, { containerPort: 53, protocol: 'UDP' }] }],
    securityContext: { runAsUser: 1000, fsGroup: 2000, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
  });
  pod.metadata.annotations = { a: 'b' };
  const uid = pod.metadata.uid!;
  const c = buildSandboxConfig({ logDir: '/var/log/pods', cgroupParent: '/k8ts' }, pod, 2);
  assert.deepEqual(c.metadata, { name: 'web', uid, namespace: 'default', attempt: 2 });
  assert.equal(c.hostname, 'web');
  assert.equal(c.log_directory, `/var/log/pods/default_web_${uid}`);
  assert.deepEqual(c.labels, { app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid });
  assert.deepEqual(c.annotations, { a: 'b' });
  assert.deepEqual(c.port_mappings, [{ protocol: 'TCP', container_port: 8080, host_port: 18080, host_ip: '' }]);
  assert.equal(c.linux?.cgroup_parent, `/k8ts/pod${uid}`);
  assert.deepEqual(c.linux?.security_context?.namespace_options, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  assert.deepEqual(c.linux?.security_context?.run_as_user, { value: 1000 });
  assert.deepEqual(c.linux?.security_context?.supplemental_groups, [2000]);
  assert.deepEqual(c.linux?.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
});

test('DNS: host resolv.conf, dnsPolicy None and dnsConfig merge', () => {
  const host = parseResolvConf('# c\nnameserver 10.0.0.1\nnameserver 10.0.0.2\nsearch a.local b.local\noptions ndots:2 edns0\n');
  assert.deepEqual(host, { servers: ['10.0.0.1', '10.0.0.2'], searches: ['a.local', 'b.local'], options: ['ndots:2', 'edns0'] });
  const pod = testPod('p', { containers: [{ name: 'c', image: 'x:1' }], dnsConfig: { nameservers: ['1.1.1.1'], searches: ['c.local'], options: [{ name: 'ndots', value: '5' }] } });
  assert.deepEqual(podDnsConfig(pod, host), { servers: ['10.0.0.1', '10.0.0.2', '1.1.1.1'], searches: ['a.local', 'b.local', 'c.local'], options: ['ndots:5', 'edns0'] });
  const none = testPod('p', { dnsPolicy: 'None', containers: [{ name: 'c', image: 'x:1' }], dnsConfig: { nameservers: ['9.9.9.9'] } });
  assert.deepEqual(podDnsConfig(none, host), { servers: ['9.9.9.9'], searches: [], options: [] });
});
