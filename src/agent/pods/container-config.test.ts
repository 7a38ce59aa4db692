import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainerConfig, ContainerConfigError, containerEnv, linuxResources, type ContainerContext } from './container-config.ts';
import { testPod } from './test-fakes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const ctx = (over: Partial<ContainerContext> = {}): ContainerContext => ({
  restartCount: 3, podIPs: ['10.42.0.9'], hostIPs: ['192.168.0.2'], volumes: new Map(), image: 'sha256:abc', init: false, ...over,
});

test('env: values expanded in order, downward API fieldRef and resourceFieldRef', () => {
  const pod = testPod('p', {
    serviceAccountName: 'builder',
    containers: [{
      name: 'c', image: 'x:1', resources: { limits: { cpu: '250m', memory: '128Mi' }, requests: { cpu: '100m' } },
      env: [
        { name: 'A', value: 'a' }, { name: 'B', value: '$(A)-$(C)' }, { name: 'C', value: 'c' },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'LBL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'ANN', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['missing']" } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'REQ_CPU_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
    }],
  });
  const env = Object.fromEntries(containerEnv(pod, pod.spec.containers[0], ctx()).map((e) => [e.key, e.value]));
  assert.deepEqual(env, {
    A: 'a', B: 'a-$(C)', C: 'c', NAME: 'p', NS: 'default', UID: pod.metadata.uid, LBL: 'p', ANN: '', SA: 'builder', NODE: 'node-1',
    IP: '10.42.0.9', IPS: '10.42.0.9', HOST: '192.168.0.2', CPU_M: '250', CPU: '1', REQ_CPU_M: '100', MEM_MI: '128',
  });
  const secret = testPod('s', { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }] });
  assert.throws(() => containerEnv(secret, secret.spec.containers[0], ctx()), (e: Error) => e instanceof ContainerConfigError && e.message === 'secret "db" not found');
});

test('resources → linux resources', () => {
  const pod = testPod('p', { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '500m', memory: '64Mi' } } }] });
  assert.deepEqual(linuxResources(pod, pod.spec.containers[0]), { cpu_shares: 512, cpu_period: 100000, cpu_quota: 50000, memory_limit_in_bytes: 64 * 1024 * 1024, oom_score_adj: linuxResources(pod, pod.spec.containers[0]).oom_score_adj });
  const be = testPod('p', { containers: [{ name: 'c', image: 'x:1' }] });
  assert.deepEqual(linuxResources(be, be.spec.containers[0]), { cpu_shares: 2, oom_score_adj: 1000 });
  const g = testPod('p', { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
  assert.equal(linuxResources(g, g.spec.containers[0]).oom_score_adj, -997);
});

test('buildContainerConfig: command/args expansion, mounts, labels, annotations, log path, security', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-cc-'));
  try {
    const pod = testPod('p', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000 },
      containers: [{
        name: 'c', image: 'x:1', command: ['sh', '-c'], args: ['echo $(MSG) $$(MSG)'], env: [{ name: 'MSG', value: 'hi' }], workingDir: '/w', tty: true, stdin: true,
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }, { name: 'data', mountPath: '/sub', subPath: 'x/y' }],
        securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      }],
    });
    const vol = join(dataDir, 'vol');
    const cfg = buildContainerConfig({ dataDir }, pod, pod.spec.containers[0], ctx({ volumes: new Map([['data', vol]]) }));
    assert.deepEqual(cfg.metadata, { name: 'c', attempt: 3 });
    assert.deepEqual(cfg.image, { image: 'sha256:abc', user_specified_image: 'x:1' });
    assert.deepEqual(cfg.command, ['sh', '-c']);
    assert.deepEqual(cfg.args, ['echo hi $(MSG)']);
    assert.equal(cfg.working_dir, '/w');
    assert.equal(cfg.tty, true);
    assert.equal(cfg.log_path, 'c/3.log');
    assert.equal(cfg.labels?.['io.kubernetes.container.name'], 'c');
    assert.equal(cfg.labels?.['io.kubernetes.pod.uid'], pod.metadata.uid);
    assert.equal(cfg.annotations?.['io.kubernetes.container.restartCount'], '3');
    assert.deepEqual(cfg.mounts?.slice(0, 2), [
      { container_path: '/data', host_path: vol, readonly: true, propagation: 'PROPAGATION_PRIVATE' },
      { container_path: '/sub', host_path: join(vol, 'x/y'), readonly: false, propagation: 'PROPAGATION_PRIVATE' },
    ]);
    assert.ok(statSync(join(vol, 'x/y')).isDirectory(), 'subPath created');
    assert.equal(cfg.mounts?.[2]?.container_path, '/dev/termination-log');
    const sc: Any = cfg.linux?.security_context;
    assert.deepEqual(sc.run_as_user, { value: 0 }, 'container overrides pod');
    assert.deepEqual(sc.run_as_group, { value: 3000 });
    assert.equal(sc.no_new_privs, true);
    assert.deepEqual(sc.capabilities, { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] });
    assert.ok(sc.masked_paths.includes('/proc/kcore'));
    const nonRoot = testPod('p', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'x:1' }] });
    assert.throws(() => buildContainerConfig({ dataDir }, nonRoot, nonRoot.spec.containers[0], ctx({ imageUid: 0 })), /runAsNonRoot and image will run as root/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
