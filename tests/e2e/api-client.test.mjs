// The web UI's API client (web/src/api/client.ts) calls only operations that the API
// contract (docs/openapi.yaml) documents, with the documented method. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/server.mjs';

/** { "/api/v1/facilities/{}": Set(["get"]) } from the `paths:` block, path parameters blanked. */
function documentedOperations(yaml) {
  const operations = new Map();
  let current = null;
  let inPaths = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) inPaths = line.startsWith('paths:');
    if (!inPaths) continue;
    const path = /^ {2}(\/\S*):\s*$/.exec(line);
    if (path) {
      current = path[1].replace(/\{[^}]+\}/g, '{}');
      operations.set(current, new Set());
      continue;
    }
    const method = /^ {4}(get|put|post|patch|delete):/.exec(line);
    if (method && current) operations.get(current).add(method[1]);
  }
  return operations;
}

/** Each API path literal of the client with the method of its request: [method, path]. */
function clientCalls(source) {
  const calls = [];
  for (const m of source.matchAll(/[`'](\/api\/v1\/[^`']*)[`']/g)) {
    const path = m[1].replace(/\$\{query[\s\S]*$/, '').replace(/\$\{[^}]+\}/g, '{}');
    // The options object, if any, sits between the literal and the call's closing parenthesis.
    const rest = source.slice(m.index + m[0].length);
    const options = rest.slice(0, rest.indexOf(')'));
    const method = /method:\s*'([A-Z]+)'/.exec(options)?.[1] ?? 'GET';
    calls.push([method.toLowerCase(), path]);
  }
  return calls;
}

test('every call of the web API client is documented in docs/openapi.yaml', () => {
  const documented = documentedOperations(readFileSync(join(repoRoot, 'docs', 'openapi.yaml'), 'utf8'));
  const calls = clientCalls(readFileSync(join(repoRoot, 'web', 'src', 'api', 'client.ts'), 'utf8'));
  assert.ok(calls.length >= 9, `found the client's calls (${calls.length})`);
  assert.ok(calls.some(([m, p]) => m === 'post' && p === '/api/v1/auth/logout'), 'sign-out is a POST');
  for (const [method, path] of calls) {
    assert.ok(documented.get(path)?.has(method), `${method.toUpperCase()} ${path} is in docs/openapi.yaml`);
  }
  // The live-events socket is documented as the upgrade GET.
  assert.ok(documented.get('/api/v1/events')?.has('get'), 'GET /api/v1/events is in docs/openapi.yaml');
});
