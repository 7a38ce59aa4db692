import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { defaultNode } from './node-defaults.ts';
import { validateNode, validateNodeUpdate } from './node-validation.ts';

const node = (extra: Partial<KubeObject> = {}): KubeObject => ({ metadata: { name: 'n1' }, ...extra });

test('a registered node is valid; allocatable defaults to capacity', () => {
  const n = node({ status: { capacity: { cpu: '4', memory: '8174448Ki', pods: '110' } } });
  defaultNode(n);
  assert.deepEqual(n.status.allocatable, { cpu: '4', memory: '8174448Ki', pods: '110' });
  assert.deepEqual(validateNode(n), []);
  const keep = node({ status: { capacity: { cpu: '4' }, allocatable: { cpu: '3500m' } } });
  defaultNode(keep);
  assert.deepEqual(keep.status.allocatable, { cpu: '3500m' });
});

test('taints are reported under metadata.taints', () => {
  const n = node({
    spec: {
      taints: [
        { key: 'k', effect: 'Sometimes' },
        { key: 'bad key', value: 'v', effect: 'NoSchedule' },
        { key: 'k', effect: 'NoSchedule' },
        { key: 'k', effect: 'NoSchedule' },
      ],
    },
  });
  const errs = validateNode(n).map(renderFieldError);
  assert.equal(errs[0], 'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
  assert.match(errs[1], /^metadata\.taints\[1\]\.key: Invalid value: "bad key": name part must consist/);
  assert.equal(
    errs[2],
    'metadata.taints[3]: Duplicate value: core.Taint{Key:"k", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: taints must be unique by key and effect pair',
  );
  assert.equal(errs.length, 3);
});

test('quantities and CIDRs', () => {
  const n = node({ spec: { podCIDRs: ['10.0.0.0/24', 'x'] }, status: { capacity: { pods: '1.5', cpu: '-1' } } });
  assert.deepEqual(validateNode(n).map(renderFieldError), [
    'status.capacity.pods: Invalid value: "1500m": must be an integer',
    'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
    'spec.podCIDRs[1]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "x"}: may specify no more than one CIDR for each IP family',
  ]);
});

test('update: podCIDRs and providerID may only be set once', () => {
  const old = node({ spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'p1' } });
  const next = node({ spec: { podCIDRs: ['10.0.1.0/24'], providerID: 'p2', unschedulable: true } });
  assert.deepEqual(validateNodeUpdate(next, old).map(renderFieldError), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  assert.deepEqual(validateNodeUpdate(node({ spec: { podCIDRs: ['10.0.0.0/24'] } }), node()), []);
});

test('podCIDR and podCIDRs are kept in step', () => {
  const n = node({ spec: { podCIDR: '10.244.0.0/24' } });
  defaultNode(n);
  assert.deepEqual(n.spec, { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  const m = node({ spec: { podCIDRs: ['10.244.1.0/24', 'fd00::/64'] } });
  defaultNode(m);
  assert.equal(m.spec.podCIDR, '10.244.1.0/24');
});
