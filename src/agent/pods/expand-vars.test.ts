import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandVars } from './expand-vars.ts';

test('expandVars follows Kubernetes $(VAR) rules', () => {
  const vars = { A: 'x', B: 'y', EMPTY: '' };
  assert.equal(expandVars('$(A)-$(B)', vars), 'x-y');
  assert.equal(expandVars('$$(A)', vars), '$(A)');
  assert.equal(expandVars('$(MISSING)', vars), '$(MISSING)');
  assert.equal(expandVars('$(EMPTY)z', vars), 'z');
  assert.equal(expandVars('$(A', vars), '$(A');
  assert.equal(expandVars('a$b', vars), 'a$b');
  assert.equal(expandVars('end$', vars), 'end$');
  assert.equal(expandVars('$$$$', vars), '$$');
  assert.equal(expandVars('$$$(A)', vars), '$x');
  assert.equal(expandVars('no vars', vars), 'no vars');
  assert.equal(expandVars('$(A)', new Map([['A', 'm']])), 'm');
});
