import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchesFields, parseFieldSelector } from '../machinery/field-selector.ts';
import { selectableFields, supportedFieldLabels } from './selectable-fields.ts';

describe('selectableFields', () => {
  it('pods', () => {
    const pod = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
      status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] },
    };
    assert.deepEqual(selectableFields('pods', pod), {
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'n1',
      'spec.host': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': '',
    });
    const bare = selectableFields('pods', { metadata: { name: 'p' }, spec: { hostNetwork: true }, status: { podIP: '1.2.3.4' } });
    assert.equal(bare['spec.hostNetwork'], 'true');
    assert.equal(bare['spec.nodeName'], '');
    assert.equal(bare['status.podIP'], '1.2.3.4');
    for (const label of supportedFieldLabels('pods')) assert.ok(label in bare, label);
  });

  it('events, with source falling back to reportingComponent', () => {
    const ev = {
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{c}' },
      reason: 'Scheduled',
      type: 'Normal',
      reportingComponent: 'default-scheduler',
    };
    const f = selectableFields('events', ev);
    assert.equal(f['involvedObject.name'], 'web');
    assert.equal(f['involvedObject.resourceVersion'], '');
    assert.equal(f.source, 'default-scheduler');
    assert.equal(selectableFields('events', { ...ev, source: { component: 'kubelet' } }).source, 'kubelet');
    for (const label of supportedFieldLabels('events')) assert.ok(label in f, label);
    assert.ok(matchesFields(parseFieldSelector('involvedObject.namespace=default,involvedObject.name=web,involvedObject.kind=Pod'), f));
  });

  it('nodes, namespaces, leases', () => {
    assert.deepEqual(selectableFields('nodes', { metadata: { name: 'n1' }, spec: { unschedulable: true } }), {
      'metadata.name': 'n1',
      'spec.unschedulable': 'true',
    });
    assert.deepEqual(selectableFields('nodes', { metadata: { name: 'n1' } })['spec.unschedulable'], 'false');
    assert.deepEqual(selectableFields('namespaces', { metadata: { name: 'a' }, status: { phase: 'Active' } }), {
      'metadata.name': 'a',
      'status.phase': 'Active',
    });
    assert.deepEqual(selectableFields('leases', { metadata: { name: 'n1', namespace: 'kube-node-lease' } }), {
      'metadata.name': 'n1',
      'metadata.namespace': 'kube-node-lease',
    });
    assert.deepEqual(supportedFieldLabels('leases'), ['metadata.name', 'metadata.namespace']);
  });
});
