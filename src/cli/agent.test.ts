import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentOptions } from './agent.ts';

test('agentOptions: the DESIGN contract flags, and what is required', () => {
  assert.deepEqual(agentOptions(['--server', 'https://h:6443', '--token-file', '/t', '--data-dir', '/d', '--node-name', 'n1', '--simulate', '3']), {
    dataDir: '/d',
    server: 'https://h:6443',
    tokenFile: '/t',
    nodeName: 'n1',
    simulate: 3,
  });
  assert.equal(agentOptions(['--kubeconfig', '/k', '--agent-port=0']).agentPort, 0);
  assert.throws(() => agentOptions(['--token-file', '/t']), /--server URL is required/);
  assert.throws(() => agentOptions(['--server', 'https://h']), /--token-file FILE is required/);
  assert.throws(() => agentOptions(['--server', 'https://h', '--token-file', '/t', '--simulate', 'x']), /--simulate takes a node count/);
});
