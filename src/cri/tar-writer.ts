// A deterministic in-memory tar writer: same entries in, same bytes out (mtime 0, uid/gid 0,
// no user names, entries in the order given). Image layers need this so a rebuilt image keeps
// its digest. Headers are encoded by the `tar` package (ustar, with a PAX header when a path
// or link target is too long for ustar).
//
//   const bytes = tarArchive([{ path: 'bin', type: 'dir' }, { path: 'bin/sh', type: 'symlink', linkname: 'busybox' }]);
import { Header, Pax } from 'tar';

export type TarEntry =
  | { path: string; type: 'dir'; mode?: number }
  | { path: string; type: 'file'; mode?: number; data: Buffer | string }
  | { path: string; type: 'symlink'; linkname: string };

const EPOCH = new Date(0);

function pad512(n: number): number {
  return (512 - (n % 512)) % 512;
}

function headerBlocks(fields: {
  path: string; type: 'Directory' | 'File' | 'SymbolicLink'; mode: number; size: number; linkpath?: string;
}): Buffer[] {
  const data = { ...fields, uid: 0, gid: 0, mtime: EPOCH, uname: '', gname: '' };
  const h = new Header(data);
  h.encode();
  if (!h.needPax) return [h.block!];
  // Long path or link target: a PAX extended header carries the full values.
  const pax = new Pax({ path: fields.path, linkpath: fields.linkpath, mtime: EPOCH }).encode();
  const short = new Header({ ...data, path: fields.path.slice(-99), linkpath: fields.linkpath?.slice(0, 99) });
  short.encode();
  return [pax, short.block!];
}

/** Builds a tar archive (ending with the two zero blocks) from entries, in order. */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '');
    if (!path) throw new Error(`tar entry path ${JSON.stringify(e.path)}: empty after stripping leading slashes`);
    if (e.type === 'dir') {
      parts.push(...headerBlocks({ path: path.endsWith('/') ? path : `${path}/`, type: 'Directory', mode: e.mode ?? 0o755, size: 0 }));
    } else if (e.type === 'symlink') {
      parts.push(...headerBlocks({ path, type: 'SymbolicLink', mode: 0o777, size: 0, linkpath: e.linkname }));
    } else {
      const body = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
      parts.push(...headerBlocks({ path, type: 'File', mode: e.mode ?? 0o644, size: body.length }));
      parts.push(body, Buffer.alloc(pad512(body.length)));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
