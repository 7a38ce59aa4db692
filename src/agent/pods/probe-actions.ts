// The three probe/hook actions kubelet runs: exec (ExecSync in the container), httpGet (from the node to the
// pod IP, or host), tcpSocket (connect). Each resolves to success / failure / error with kubelet's output text.
//
//   const r = await httpGetAction({ port: 8080, path: '/healthz' }, '10.42.0.7', 1);
//   // { result: 'failure', output: 'HTTP probe failed with statuscode: 503' }
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { CriClient } from '../../cri/cri-client.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface ActionResult {
  result: 'success' | 'failure' | 'error';
  output: string;
}

/** A named port (container ports) or a number. */
export function resolvePort(port: Any, container: Any): number {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const p = (container?.ports ?? []).find((x: Any) => x.name === port);
  if (!p) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container?.ports ?? [])}`);
  return p.containerPort;
}

export async function execAction(cri: CriClient, containerId: string, command: string[], timeoutSeconds: number): Promise<ActionResult> {
  try {
    const r = await cri.execSync(containerId, command, timeoutSeconds);
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
    if (r.exit_code === 0) return { result: 'success', output };
    return { result: 'failure', output };
  } catch (err) {
    const msg = (err as Error).message;
    if (/DEADLINE_EXCEEDED|timeout/i.test(msg)) return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
    return { result: 'error', output: msg };
  }
}

const formatHost = (h: string) => (h.includes(':') ? `[${h}]` : h);

export function httpGetAction(h: Any, host: string, timeoutSeconds: number, container?: Any): Promise<ActionResult> {
  return new Promise((resolve) => {
    let port: number;
    try {
      port = resolvePort(h.port, container);
    } catch (err) {
      resolve({ result: 'error', output: (err as Error).message });
      return;
    }
    const scheme = String(h.scheme ?? 'HTTP').toLowerCase();
    const target = h.host || host;
    let path: string = h.path ?? '/';
    if (!path.startsWith('/')) path = `/${path}`;
    const url = `${scheme}://${formatHost(target)}:${port}${path}`;
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.33', Accept: '*/*' };
    for (const hh of h.httpHeaders ?? []) headers[hh.name] = hh.value;
    const req = (scheme === 'https' ? httpsRequest : httpRequest)(url, { method: 'GET', headers, agent: false, timeout: timeoutSeconds * 1000, rejectUnauthorized: false } as Any, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 10 * 1024) body += d;
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 400) resolve({ result: 'success', output: body });
        else resolve({ result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (err) => resolve({ result: 'failure', output: `Get "${url}": ${err.message}` }));
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const msg = err.code === 'ECONNREFUSED' ? `dial tcp ${formatHost(target)}:${port}: connect: connection refused` : err.message;
      resolve({ result: 'failure', output: `Get "${url}": ${msg}` });
    });
    req.end();
  });
}

export function tcpAction(t: Any, host: string, timeoutSeconds: number, container?: Any): Promise<ActionResult> {
  return new Promise((resolve) => {
    let port: number;
    try {
      port = resolvePort(t.port, container);
    } catch (err) {
      resolve({ result: 'error', output: (err as Error).message });
      return;
    }
    const target = t.host || host;
    const sock = connect({ host: target, port, timeout: timeoutSeconds * 1000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${formatHost(target)}:${port}: i/o timeout` });
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      const msg = err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.message;
      resolve({ result: 'failure', output: `dial tcp ${formatHost(target)}:${port}: ${msg}` });
    });
  });
}
