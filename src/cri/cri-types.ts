// TypeScript shapes of the CRI v1 messages in runtime.proto, as cri-client.ts decodes them.
//
// Decoding conventions (proto-loader options in cri-client.ts):
// - field names stay snake_case exactly as on the wire (`pod_sandbox_id`), so the upstream
//   api.proto and containerd's docs read one-to-one;
// - 64-bit integers arrive as JS numbers; nanosecond timestamps (~1.8e18) exceed 2^53, so they
//   are exact only to within 256 ns — fine for status times (divide by 1e6 for Date);
// - enums arrive as their names (`'CONTAINER_RUNNING'`); requests may send name or number;
// - responses carry defaults: absent scalars are ''/0/false, repeated [] and maps {};
//   absent sub-messages are null.
// Request types mark everything optional: proto3 sends defaults for what is left out.

export type StringMap = Record<string, string>;

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type ProfileType = 'RuntimeDefault' | 'Unconfined' | 'Localhost';

export interface Int64Value { value: number }
export interface KeyValue { key: string; value: string }

export interface PortMapping {
  protocol?: Protocol;
  container_port: number;
  host_port?: number;
  host_ip?: string;
}

export interface DNSConfig { servers?: string[]; searches?: string[]; options?: string[] }

export interface Mount {
  container_path: string;
  host_path: string;
  readonly?: boolean;
  selinux_relabel?: boolean;
  propagation?: MountPropagation;
  recursive_read_only?: boolean;
}

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  target_id?: string;
}

export interface SecurityProfile { profile_type?: ProfileType; localhost_ref?: string }

export interface Capability {
  add_capabilities?: string[];
  drop_capabilities?: string[];
  add_ambient_capabilities?: string[];
}

export interface ImageSpec {
  image: string;
  annotations?: StringMap;
  user_specified_image?: string;
  runtime_handler?: string;
}

export interface LinuxContainerResources {
  cpu_period?: number;
  cpu_quota?: number;
  cpu_shares?: number;
  memory_limit_in_bytes?: number;
  oom_score_adj?: number;
  cpuset_cpus?: string;
  cpuset_mems?: string;
  unified?: StringMap;
  memory_swap_limit_in_bytes?: number;
}

// ---- sandboxes ----

export interface LinuxSandboxSecurityContext {
  namespace_options?: NamespaceOption;
  run_as_user?: Int64Value;
  readonly_rootfs?: boolean;
  supplemental_groups?: number[];
  privileged?: boolean;
  run_as_group?: Int64Value;
  seccomp?: SecurityProfile;
}

export interface LinuxPodSandboxConfig {
  cgroup_parent?: string;
  security_context?: LinuxSandboxSecurityContext;
  sysctls?: StringMap;
  overhead?: LinuxContainerResources;
  resources?: LinuxContainerResources;
}

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt?: number }

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  dns_config?: DNSConfig;
  port_mappings?: PortMapping[];
  labels?: StringMap;
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig;
}

export interface PodSandboxNetworkStatus { ip: string; additional_ips: { ip: string }[] }

export interface PodSandboxStatus {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: number;
  network: PodSandboxNetworkStatus | null;
  linux: { namespaces: { options: Required<NamespaceOption> | null } | null } | null;
  labels: StringMap;
  annotations: StringMap;
  runtime_handler: string;
}

export interface PodSandboxStatusResponse {
  status: PodSandboxStatus | null;
  info: StringMap;
  containers_statuses: ContainerStatus[];
  timestamp: number;
}

export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  label_selector?: StringMap;
}

export interface PodSandbox {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: number;
  labels: StringMap;
  annotations: StringMap;
  runtime_handler: string;
}

// ---- containers ----

export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespace_options?: NamespaceOption;
  run_as_user?: Int64Value;
  run_as_username?: string;
  readonly_rootfs?: boolean;
  supplemental_groups?: number[];
  no_new_privs?: boolean;
  run_as_group?: Int64Value;
  masked_paths?: string[];
  readonly_paths?: string[];
  seccomp?: SecurityProfile;
}

export interface ContainerMetadata { name: string; attempt?: number }

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: { container_path: string; host_path: string; permissions: string }[];
  labels?: StringMap;
  annotations?: StringMap;
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; security_context?: LinuxContainerSecurityContext };
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  pod_sandbox_id?: string;
  label_selector?: StringMap;
}

export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: Required<ContainerMetadata> | null;
  image: Required<ImageSpec> | null;
  image_ref: string;
  state: ContainerState;
  created_at: number;
  labels: StringMap;
  annotations: StringMap;
  image_id: string;
}

export interface ContainerStatus {
  id: string;
  metadata: Required<ContainerMetadata> | null;
  state: ContainerState;
  created_at: number;
  started_at: number;
  finished_at: number;
  exit_code: number;
  image: Required<ImageSpec> | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  mounts: Required<Mount>[];
  log_path: string;
  resources: { linux: Required<LinuxContainerResources> | null } | null;
  image_id: string;
}

export interface ContainerStatusResponse { status: ContainerStatus | null; info: StringMap }

export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exit_code: number }

export interface StreamOptions { stdin?: boolean; stdout?: boolean; stderr?: boolean; tty?: boolean }

// ---- runtime ----

export interface VersionResponse {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }

export interface StatusResponse { status: { conditions: RuntimeCondition[] } | null; info: StringMap }

// ---- images ----

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: number;
  uid: Int64Value | null;
  username: string;
  spec: Required<ImageSpec> | null;
  pinned: boolean;
}

export interface FilesystemUsage {
  timestamp: number;
  fs_id: { mountpoint: string } | null;
  used_bytes: { value: number } | null;
  inodes_used: { value: number } | null;
}

export interface ImageFsInfoResponse {
  image_filesystems: FilesystemUsage[];
  container_filesystems: FilesystemUsage[];
}
