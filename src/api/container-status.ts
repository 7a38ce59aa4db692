/** core/v1 ContainerStatus and its parts, as reported by the node (Kubernetes 1.32 plus later fields). */
import { Type, type Static } from '@sinclair/typebox';
import { named, field, opt, str, int32, int64, bool, mapOf, list, atomic, mergeList } from './schema-kit.ts';
import { quantitySchema, timeSchema } from './meta.ts';
import { resourceRequirementsSchema, signalSchema } from './container.ts';

const CORE = 'io.k8s.api.core.v1';

export const containerStateWaitingSchema = named(`${CORE}.ContainerStateWaiting`, 'A container that is not running yet.', {
  reason: opt(str('Short reason it is not running, such as ContainerCreating or ImagePullBackOff.')),
  message: opt(str('Details about why it is not running.')),
});

export const containerStateRunningSchema = named(`${CORE}.ContainerStateRunning`, 'A running container.', {
  startedAt: opt(field(timeSchema, 'When the container last started.')),
});

export const containerStateTerminatedSchema = named(`${CORE}.ContainerStateTerminated`, 'A container that has exited.', {
  exitCode: int32('Exit status of the process.'),
  signal: opt(int32('Signal that ended the process, if any.')),
  reason: opt(str('Short reason for the exit, such as Completed or Error.')),
  message: opt(str('Details about the exit, such as the termination message.')),
  startedAt: opt(field(timeSchema, 'When that run started.')),
  finishedAt: opt(field(timeSchema, 'When that run ended.')),
  containerID: opt(str("ID of the exited container as '<runtime>://<id>'.")),
});

export const containerStateSchema = named(
  `${CORE}.ContainerState`,
  'State of a container: at most one of waiting, running or terminated; waiting when none is set.',
  {
    waiting: opt(field(containerStateWaitingSchema, 'Set while the container waits to run.')),
    running: opt(field(containerStateRunningSchema, 'Set while the container runs.')),
    terminated: opt(field(containerStateTerminatedSchema, 'Set once the container has exited.')),
  },
);

export const volumeMountStatusSchema = named(`${CORE}.VolumeMountStatus`, 'How a volume mount of the container ended up.', {
  name: str('Name of the volume mount.'),
  mountPath: str('Mount path of the volume mount.'),
  readOnly: opt(bool('Whether the mount is read-only.')),
  recursiveReadOnly: opt(str('Whether read-only applies recursively: Disabled or Enabled.')),
});

export const linuxContainerUserSchema = named(`${CORE}.LinuxContainerUser`, 'Identity of the first process of a Linux container.', {
  uid: int64('Primary user ID.'),
  gid: int64('Primary group ID.'),
  supplementalGroups: opt(atomic(Type.Integer({ format: 'int64' }), 'Supplementary group IDs.')),
});

export const containerUserSchema = named(`${CORE}.ContainerUser`, 'Identity the first process of a container started with.', {
  linux: opt(field(linuxContainerUserSchema, 'Identity on Linux.')),
});

export const resourceHealthSchema = named(`${CORE}.ResourceHealth`, 'Health of one allocated device.', {
  resourceID: str('Identifier of the device.'),
  health: opt(str('Healthy, Unhealthy or Unknown.')),
});

export const resourceStatusSchema = named(`${CORE}.ResourceStatus`, 'Health of the devices behind one resource.', {
  name: str('Resource name, or claim:<claim>/<request> for dynamically allocated resources.'),
  resources: opt(list(resourceHealthSchema, 'Health of each device.', { type: 'map', keys: ['resourceID'] })),
});

export const containerStatusSchema = named(`${CORE}.ContainerStatus`, 'Observed state of one container.', {
  name: str('Name of the container.'),
  state: opt(field(containerStateSchema, 'Current state.')),
  lastState: opt(field(containerStateSchema, 'State of the previous run, kept to debug restarts.')),
  ready: bool('Whether the container passes its readiness check.'),
  restartCount: int32('How many times the container has restarted.'),
  image: str('Image the container runs, as resolved by the runtime.'),
  imageID: str('ID (digest) of the image the container runs.'),
  containerID: opt(str("Container ID as '<runtime>://<id>'.")),
  started: opt(bool('Whether the container passed its startup probe and postStart hook.')),
  allocatedResources: opt(mapOf(quantitySchema, 'Resources the node allocated to the container.')),
  resources: opt(field(resourceRequirementsSchema, 'Requests and limits in effect on the running container.')),
  volumeMounts: opt(mergeList(volumeMountStatusSchema, 'Status of the volume mounts.', 'mountPath')),
  user: opt(field(containerUserSchema, 'Identity of the first process.')),
  allocatedResourcesStatus: opt(mergeList(resourceStatusSchema, 'Health of the allocated devices.', 'name')),
  stopSignal: opt(signalSchema('Signal the runtime sends to stop the container.')),
});
export type ContainerStatus = Static<typeof containerStatusSchema>;
