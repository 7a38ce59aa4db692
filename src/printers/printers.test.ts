import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventPrinter } from './event-printer.ts';
import { namespacePrinter } from './namespace-printer.ts';
import { nodePrinter } from './node-printer.ts';
import { printerFor } from './printers.ts';

const now = Date.parse('2026-11-25T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

test('node status, roles and wide cells', () => {
  const node = {
    metadata: { name: 'n1', creationTimestamp: ago(3 * 3600 + 5 * 60), labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': 'worker' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '192.0.2.4' }],
      nodeInfo: { kubeletVersion: 'v1.32.4-k8ts', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.6.20' },
    },
  };
  assert.deepEqual(nodePrinter.cells(node, now), [
    'n1', 'Ready,SchedulingDisabled', 'control-plane,worker', '3h5m', 'v1.32.4-k8ts', '192.0.2.4', '<none>',
    'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.6.20',
  ]);
  const unknown = { metadata: { name: 'n2', creationTimestamp: ago(5) }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  assert.equal(nodePrinter.cells(unknown, now)[1], 'NotReady');
  assert.equal(nodePrinter.cells({ metadata: { name: 'n3' } }, now)[1], 'Unknown');
  assert.equal(nodePrinter.cells({ metadata: { name: 'n3' } }, now)[2], '<none>');
});

test('namespace cells', () => {
  assert.deepEqual(namespacePrinter.cells({ metadata: { name: 'a', creationTimestamp: ago(40) }, status: { phase: 'Terminating' } }, now), ['a', 'Terminating', '40s']);
});

test('event cells: legacy timestamps, series, object and source', () => {
  const legacy = {
    metadata: { name: 'web.17f3a2b4c5d6e7f8', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled', type: 'Normal', message: ' Container image "busybox" already present on machine \n',
    source: { component: 'kubelet', host: 'n1' }, firstTimestamp: ago(600), lastTimestamp: ago(30), count: 4,
  };
  assert.deepEqual(eventPrinter.cells(legacy, now), [
    '30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, n1',
    'Container image "busybox" already present on machine', '10m', 4, 'web.17f3a2b4c5d6e7f8',
  ]);
  const series = {
    metadata: { name: 'e2' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'FailedScheduling', type: 'Warning', message: 'm',
    eventTime: ago(300), series: { count: 7, lastObservedTime: ago(10) }, reportingComponent: 'default-scheduler', firstTimestamp: null, lastTimestamp: null,
  };
  const cells = eventPrinter.cells(series, now);
  assert.equal(cells[0], '10s');
  assert.equal(cells[5], 'default-scheduler');
  assert.equal(cells[7], '5m');
  assert.equal(cells[8], 7);
});

test('every printer has as many cells as columns, and unknown kinds get Name + Age', () => {
  for (const plural of ['pods', 'nodes', 'namespaces', 'events', 'leases', 'widgets']) {
    const p = printerFor(plural);
    assert.equal(p.cells({ metadata: { name: 'x', creationTimestamp: ago(1) } }, now).length, p.columns.length, plural);
  }
  assert.deepEqual(printerFor('widgets').columns.map((c) => c.name), ['Name', 'Age']);
});
