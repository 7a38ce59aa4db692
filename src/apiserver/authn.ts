/**
 * Authentication: a client certificate verified against the cluster CA (user = CN, groups = O), or
 * `Authorization: Bearer <token>` matched against known tokens. Anything else is anonymous (undefined).
 *
 *   const authn = createAuthenticator(new Map([[nodeToken, { name: 'k8ts-node', groups: ['system:nodes'] }]]));
 *   const user = authn.authenticate(tlsSocket, req.headers.authorization);   // UserInfo | undefined
 */
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../registry/rest.ts';

export interface Authenticator {
  /** The user behind a request on `socket` (the TLS socket) with this Authorization header. */
  authenticate(socket: TLSSocket | undefined, authorization: string | string[] | undefined): UserInfo | undefined;
  /** Adds (or replaces) a bearer token. */
  addToken(token: string, user: UserInfo): void;
}

/** Every authenticated user is also in system:authenticated, as in Kubernetes. */
const withAuthenticated = (groups: string[]) => (groups.includes('system:authenticated') ? groups : [...groups, 'system:authenticated']);

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function certUser(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  const cn = cert?.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  return { name, groups: withAuthenticated(asList(cert.subject.O as string | string[] | undefined)) };
}

export function createAuthenticator(tokens: Map<string, UserInfo> = new Map()): Authenticator {
  // One TLS handshake, one certificate: cache per socket (a WeakMap forgets closed sockets).
  const bySocket = new WeakMap<object, UserInfo | null>();
  const byToken = new Map<string, UserInfo>();
  for (const [t, u] of tokens) byToken.set(t, { name: u.name, groups: withAuthenticated(u.groups) });
  return {
    authenticate(socket, authorization) {
      const auth = Array.isArray(authorization) ? authorization[0] : authorization;
      if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
        const user = byToken.get(auth.slice(7).trim());
        if (user) return user;
      }
      if (!socket) return undefined;
      let user = bySocket.get(socket);
      if (user === undefined) {
        user = certUser(socket) ?? null;
        bySocket.set(socket, user);
      }
      return user ?? undefined;
    },
    addToken(token, user) {
      byToken.set(token, { name: user.name, groups: withAuthenticated(user.groups) });
    },
  };
}
