// Finds the host binaries the node agent needs before it spawns containerd, and fails with
// one error listing everything missing and the Debian packages that provide it.
//
//   const bins = checkRuntimePrerequisites(); // { containerd, ctr, runc, shim, cniBinDir }
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const REQUIRED_APT_PACKAGES = ['containerd', 'runc', 'containernetworking-plugins'] as const;
export const REQUIRED_CNI_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

export interface RuntimeBinaries {
  containerd: string;
  ctr: string;
  runc: string;
  /** containerd-shim-runc-v2: containerd finds it on PATH, so it must be there. */
  shim: string;
  cniBinDir: string;
}

export interface PrerequisiteOptions {
  /** Directory of the CNI plugins (default /usr/lib/cni, Debian's location). */
  cniBinDir?: string;
  /** Search path for binaries (default $PATH plus the sbin dirs). */
  path?: string;
}

export class MissingPrerequisitesError extends Error {
  readonly missing: string[];
  constructor(missing: string[]) {
    super(
      `the node agent needs containerd, runc and the CNI plugins, but these are missing: ${missing.join(', ')}. ` +
      `Install them with: apt-get install -y ${REQUIRED_APT_PACKAGES.join(' ')}`,
    );
    this.name = 'MissingPrerequisitesError';
    this.missing = missing;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of an executable on the search path, or undefined. */
export function findExecutable(name: string, searchPath = defaultSearchPath()): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

function defaultSearchPath(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!dirs.includes(d)) dirs.push(d);
  }
  return dirs.join(delimiter);
}

/** Checks everything at once; throws MissingPrerequisitesError naming every missing piece. */
export function checkRuntimePrerequisites(opts: PrerequisiteOptions = {}): RuntimeBinaries {
  const searchPath = opts.path ?? defaultSearchPath();
  const cniBinDir = opts.cniBinDir ?? '/usr/lib/cni';
  const missing: string[] = [];
  const need = (name: string): string => {
    const found = findExecutable(name, searchPath);
    if (!found) missing.push(name);
    return found ?? '';
  };
  const bins = {
    containerd: need('containerd'),
    ctr: need('ctr'),
    shim: need('containerd-shim-runc-v2'),
    runc: need('runc'),
    cniBinDir,
  };
  for (const plugin of REQUIRED_CNI_PLUGINS) {
    if (!isExecutable(join(cniBinDir, plugin))) missing.push(`CNI plugin ${join(cniBinDir, plugin)}`);
  }
  if (missing.length > 0) throw new MissingPrerequisitesError(missing);
  return bins;
}
