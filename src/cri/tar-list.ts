// Reads a tar buffer into memory with the `tar` package: an independent reader used to check
// what tar-writer.ts and oci-image.ts produce, and to inspect image tarballs.
//
//   const entries = await listTar(readFileSync('image.tar'));
import { Parser, type ReadEntry } from 'tar';

export interface ListedTarEntry {
  path: string;
  type: string;
  mode: number;
  size: number;
  linkpath: string;
  mtime: number;
  uid: number;
  body: Buffer;
}

export function listTar(buf: Buffer): Promise<ListedTarEntry[]> {
  return new Promise((resolve, reject) => {
    const out: ListedTarEntry[] = [];
    const p = new Parser({
      onReadEntry: (e: ReadEntry) => {
        const chunks: Buffer[] = [];
        e.on('data', (c: Buffer) => chunks.push(c));
        e.on('end', () => out.push({
          path: e.path, type: e.type, mode: e.mode ?? 0, size: e.size ?? 0, linkpath: e.linkpath ?? '',
          mtime: e.mtime?.getTime() ?? -1, uid: e.uid ?? -1, body: Buffer.concat(chunks),
        }));
      },
    });
    p.on('end', () => resolve(out));
    p.on('error', reject);
    p.end(buf);
  });
}
