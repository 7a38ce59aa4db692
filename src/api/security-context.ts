/** Container- and pod-level security settings (core/v1 SecurityContext and its parts, Kubernetes 1.32). */
import { Type, type Static } from '@sinclair/typebox';
import { named, field, opt, str, int64, bool, enumOf, atomic, strings } from './schema-kit.ts';

const CORE = 'io.k8s.api.core.v1';

export const capabilitiesSchema = named(`${CORE}.Capabilities`, 'POSIX capabilities to add to or drop from a container.', {
  add: opt(atomic(strings(), 'Capabilities to add.')),
  drop: opt(atomic(strings(), 'Capabilities to drop.')),
});

export const seLinuxOptionsSchema = named(`${CORE}.SELinuxOptions`, 'SELinux labels applied to a container.', {
  user: opt(str('SELinux user label.')),
  role: opt(str('SELinux role label.')),
  type: opt(str('SELinux type label.')),
  level: opt(str('SELinux level label.')),
});

export const windowsSecurityContextOptionsSchema = named(
  `${CORE}.WindowsSecurityContextOptions`,
  'Windows-specific security settings.',
  {
    gmsaCredentialSpecName: opt(str('Name of the GMSA credential spec to use.')),
    gmsaCredentialSpec: opt(str('Contents of the GMSA credential spec, filled in by a webhook.')),
    runAsUserName: opt(str('Windows user that runs the container entrypoint.')),
    hostProcess: opt(bool("Run the container as a Windows host process; requires hostNetwork.")),
  },
);

const profileTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'] as const;

export const seccompProfileSchema = named(
  `${CORE}.SeccompProfile`,
  'Which seccomp profile applies.',
  {
    type: enumOf(profileTypes, 'Kind of profile: a file on the node, the runtime default, or none.'),
    localhostProfile: opt(str('Path of the profile relative to the kubelet seccomp directory; only with type Localhost.')),
  },
  {
    'x-kubernetes-unions': [{ discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } }],
  },
);

export const appArmorProfileSchema = named(
  `${CORE}.AppArmorProfile`,
  'Which AppArmor profile applies.',
  {
    type: enumOf(profileTypes, 'Kind of profile: one loaded on the node, the runtime default, or none.'),
    localhostProfile: opt(str('Name of a profile loaded on the node; only with type Localhost.')),
  },
  {
    'x-kubernetes-unions': [{ discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } }],
  },
);

export const securityContextSchema = named(
  `${CORE}.SecurityContext`,
  'Security settings of one container; they override the same settings of the pod.',
  {
    capabilities: opt(field(capabilitiesSchema, 'Capabilities to add or drop. Linux only.')),
    privileged: opt(bool('Run the container privileged, close to root on the host. Linux only.')),
    seLinuxOptions: opt(field(seLinuxOptionsSchema, 'SELinux context of the container. Linux only.')),
    windowsOptions: opt(field(windowsSecurityContextOptionsSchema, 'Windows-specific settings. Windows only.')),
    runAsUser: opt(int64('UID the entrypoint runs as; the image default when unset. Linux only.')),
    runAsGroup: opt(int64('GID the entrypoint runs as; the runtime default when unset. Linux only.')),
    runAsNonRoot: opt(bool('Refuse to start the container if it would run as UID 0.')),
    readOnlyRootFilesystem: opt(bool('Mount the root filesystem read-only. Linux only.')),
    allowPrivilegeEscalation: opt(bool('Whether a process may gain more privileges than its parent (no_new_privs). Linux only.')),
    procMount: opt(enumOf(['Default', 'Unmasked'], 'How /proc is mounted. Linux only.')),
    seccompProfile: opt(field(seccompProfileSchema, 'Seccomp profile of the container. Linux only.')),
    appArmorProfile: opt(field(appArmorProfileSchema, 'AppArmor profile of the container. Linux only.')),
  },
);
export type SecurityContext = Static<typeof securityContextSchema>;

export const sysctlSchema = named(`${CORE}.Sysctl`, 'A kernel parameter to set.', {
  name: str('Name of the parameter.'),
  value: str('Value to set.'),
});

export const podSecurityContextSchema = named(
  `${CORE}.PodSecurityContext`,
  'Security settings for the whole pod; container settings take precedence where both exist.',
  {
    seLinuxOptions: opt(field(seLinuxOptionsSchema, 'SELinux context for all containers. Linux only.')),
    windowsOptions: opt(field(windowsSecurityContextOptionsSchema, 'Windows-specific settings for all containers.')),
    runAsUser: opt(int64('UID the container entrypoints run as. Linux only.')),
    runAsGroup: opt(int64('GID the container entrypoints run as. Linux only.')),
    runAsNonRoot: opt(bool('Refuse to start containers that would run as UID 0.')),
    supplementalGroups: opt(atomic(Type.Integer({ format: 'int64' }), 'Extra groups for the first process of every container. Linux only.')),
    supplementalGroupsPolicy: opt(
      enumOf(['Merge', 'Strict'], 'Whether supplementalGroups add to the image groups (Merge) or replace them (Strict).'),
    ),
    fsGroup: opt(int64('Group that owns supported volumes and is added to every container. Linux only.')),
    sysctls: opt(atomic(sysctlSchema, 'Namespaced kernel parameters for the pod. Linux only.')),
    fsGroupChangePolicy: opt(
      enumOf(['Always', 'OnRootMismatch'], 'When volume ownership is changed to fsGroup. Linux only.'),
    ),
    seccompProfile: opt(field(seccompProfileSchema, 'Seccomp profile for all containers. Linux only.')),
    appArmorProfile: opt(field(appArmorProfileSchema, 'AppArmor profile for all containers. Linux only.')),
    seLinuxChangePolicy: opt(str('How the SELinux label reaches volumes: MountOption or Recursive.')),
  },
);
export type PodSecurityContext = Static<typeof podSecurityContextSchema>;
