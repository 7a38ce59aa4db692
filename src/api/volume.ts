/**
 * Pod volumes: core/v1 Volume and every volume source a pod may use (Kubernetes 1.32, plus later alpha fields).
 * Field names, types and list metadata follow the Go types; the descriptions are ours.
 */
import type { Static } from '@sinclair/typebox';
import {
  named, field, opt, str, int32, int64, bool, enumOf, strMap, mapOf, atomic, strings,
} from './schema-kit.ts';
import { quantitySchema, objectMetaSchema, labelSelectorSchema } from './meta.ts';
import { localObjectReferenceSchema, typedLocalObjectReferenceSchema, typedObjectReferenceSchema } from './references.ts';

const CORE = 'io.k8s.api.core.v1';
const lor = (d: string) => opt(field(localObjectReferenceSchema, d));
const fsType = () => opt(str('Filesystem type to mount, such as ext4 or xfs.'));
const readOnly = () => opt(bool('Mount the volume read-only when true. Defaults to false.'));
const modeBits = (d: string) => opt(int32(d));

export const keyToPathSchema = named(`${CORE}.KeyToPath`, 'Maps one key of a Secret or ConfigMap to a file path.', {
  key: str('Key to project.'),
  path: str('Relative path of the file to write the key to; may not contain "..".'),
  mode: modeBits('Permission bits for this file (0-0777); the volume default applies when unset.'),
});

export const objectFieldSelectorSchema = named(
  `${CORE}.ObjectFieldSelector`,
  'Selects one field of the pod, such as metadata.name.',
  {
    apiVersion: opt(str('API version the field path is written against; defaults to v1.')),
    fieldPath: str('Path of the field to select.'),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const resourceFieldSelectorSchema = named(
  `${CORE}.ResourceFieldSelector`,
  "Selects a container's resource request or limit, such as limits.memory.",
  {
    containerName: opt(str('Container whose resources are read; required in volumes, optional for env vars.')),
    resource: str('Resource to select, such as requests.cpu.'),
    divisor: opt(field(quantitySchema, 'Unit the value is divided by before it is exposed; defaults to 1.')),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const downwardAPIVolumeFileSchema = named(
  `${CORE}.DownwardAPIVolumeFile`,
  'One file of a downward API volume and the pod field or resource it holds.',
  {
    path: str('Relative path of the file to create; may not contain "..".'),
    fieldRef: opt(field(objectFieldSelectorSchema, 'Pod field to write: annotations, labels, name, namespace or uid.')),
    resourceFieldRef: opt(field(resourceFieldSelectorSchema, 'Container resource limit or request to write.')),
    mode: modeBits('Permission bits for this file (0-0777); the volume default applies when unset.'),
  },
);

const items = (what: string) =>
  opt(atomic(keyToPathSchema, `Keys of the ${what} to project and where; when empty, every key becomes a file.`));

export const hostPathVolumeSourceSchema = named(`${CORE}.HostPathVolumeSource`, 'A file or directory of the host mounted into the pod.', {
  path: str('Path on the host; symlinks are followed.'),
  type: opt(
    enumOf(
      ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
      'What must exist at the path (and whether to create it). Empty means no check.',
    ),
  ),
});

export const emptyDirVolumeSourceSchema = named(`${CORE}.EmptyDirVolumeSource`, 'A scratch directory that lives as long as the pod.', {
  medium: opt(str('Storage medium backing the directory: empty for the node default, or Memory for tmpfs.')),
  sizeLimit: opt(field(quantitySchema, 'Upper bound on the space the directory may use.')),
});

export const gcePersistentDiskVolumeSourceSchema = named(
  `${CORE}.GCEPersistentDiskVolumeSource`,
  'A Google Compute Engine persistent disk (deprecated in-tree plugin).',
  {
    pdName: str('Name of the disk in GCE.'),
    fsType: fsType(),
    partition: opt(int32('Partition to mount; 0 or unset mounts the whole disk.')),
    readOnly: readOnly(),
  },
);

export const awsElasticBlockStoreVolumeSourceSchema = named(
  `${CORE}.AWSElasticBlockStoreVolumeSource`,
  'An AWS EBS volume (deprecated in-tree plugin).',
  {
    volumeID: str('ID of the EBS volume.'),
    fsType: fsType(),
    partition: opt(int32('Partition to mount; 0 or unset mounts the whole volume.')),
    readOnly: readOnly(),
  },
);

export const gitRepoVolumeSourceSchema = named(`${CORE}.GitRepoVolumeSource`, 'A directory cloned from a git repository (deprecated).', {
  repository: str('URL of the repository.'),
  revision: opt(str('Commit to check out.')),
  directory: opt(str('Directory to clone into; "." clones into the volume root.')),
});

export const secretVolumeSourceSchema = named(`${CORE}.SecretVolumeSource`, 'Presents the keys of a Secret as files.', {
  secretName: opt(str("Name of the Secret in the pod's namespace.")),
  items: items('Secret'),
  defaultMode: modeBits('Permission bits for created files (0-0777). Defaults to 0644.'),
  optional: opt(bool('When true, a missing Secret or key is not an error.')),
});

export const nfsVolumeSourceSchema = named(`${CORE}.NFSVolumeSource`, 'An NFS export mounted into the pod.', {
  server: str('Host name or IP address of the NFS server.'),
  path: str('Exported path.'),
  readOnly: readOnly(),
});

export const iscsiVolumeSourceSchema = named(`${CORE}.ISCSIVolumeSource`, 'An iSCSI disk.', {
  targetPortal: str('Target portal, an IP or ip:port.'),
  iqn: str('iSCSI qualified name of the target.'),
  lun: int32('Target LUN number.'),
  iscsiInterface: opt(str('iSCSI interface to use; defaults to "default" (tcp).')),
  fsType: fsType(),
  readOnly: readOnly(),
  portals: opt(atomic(strings(), 'Further target portals.')),
  chapAuthDiscovery: opt(bool('Use CHAP authentication for discovery.')),
  chapAuthSession: opt(bool('Use CHAP authentication for the session.')),
  secretRef: lor('Secret holding the CHAP credentials.'),
  initiatorName: opt(str('Custom initiator name.')),
});

export const glusterfsVolumeSourceSchema = named(`${CORE}.GlusterfsVolumeSource`, 'A Glusterfs volume (deprecated).', {
  endpoints: str('Endpoints object describing the Glusterfs cluster.'),
  path: str('Glusterfs volume path.'),
  readOnly: readOnly(),
});

export const persistentVolumeClaimVolumeSourceSchema = named(
  `${CORE}.PersistentVolumeClaimVolumeSource`,
  "Mounts the volume bound to a PersistentVolumeClaim in the pod's namespace.",
  {
    claimName: str('Name of the claim.'),
    readOnly: readOnly(),
  },
);

export const rbdVolumeSourceSchema = named(`${CORE}.RBDVolumeSource`, 'A Ceph RADOS block device (deprecated).', {
  monitors: atomic(strings(), 'Ceph monitor addresses.'),
  image: str('RADOS image name.'),
  fsType: fsType(),
  pool: opt(str('RADOS pool; defaults to rbd.')),
  user: opt(str('RADOS user; defaults to admin.')),
  keyring: opt(str('Path of the keyring; defaults to /etc/ceph/keyring.')),
  secretRef: lor('Secret with the authentication key; overrides keyring.'),
  readOnly: readOnly(),
});

export const flexVolumeSourceSchema = named(`${CORE}.FlexVolumeSource`, 'A volume handled by an exec-based driver (deprecated).', {
  driver: str('Name of the driver.'),
  fsType: fsType(),
  secretRef: lor('Secret passed to the driver scripts.'),
  readOnly: readOnly(),
  options: opt(strMap('Extra options for the driver.')),
});

export const cinderVolumeSourceSchema = named(`${CORE}.CinderVolumeSource`, 'An OpenStack Cinder volume (deprecated in-tree plugin).', {
  volumeID: str('ID of the Cinder volume.'),
  fsType: fsType(),
  readOnly: readOnly(),
  secretRef: lor('Secret with the OpenStack connection parameters.'),
});

export const cephFSVolumeSourceSchema = named(`${CORE}.CephFSVolumeSource`, 'A CephFS mount (deprecated).', {
  monitors: atomic(strings(), 'Ceph monitor addresses.'),
  path: opt(str('Path inside CephFS to mount; defaults to /.')),
  user: opt(str('RADOS user; defaults to admin.')),
  secretFile: opt(str('Path of the key ring file; defaults to /etc/ceph/user.secret.')),
  secretRef: lor('Secret with the authentication key.'),
  readOnly: readOnly(),
});

export const flockerVolumeSourceSchema = named(`${CORE}.FlockerVolumeSource`, 'A Flocker dataset (deprecated).', {
  datasetName: opt(str('Name of the dataset (deprecated).')),
  datasetUUID: opt(str('UUID of the dataset.')),
});

export const downwardAPIVolumeSourceSchema = named(`${CORE}.DownwardAPIVolumeSource`, 'Writes pod fields and resources into files.', {
  items: opt(atomic(downwardAPIVolumeFileSchema, 'Files to create.')),
  defaultMode: modeBits('Permission bits for created files (0-0777). Defaults to 0644.'),
});

export const fcVolumeSourceSchema = named(`${CORE}.FCVolumeSource`, 'A Fibre Channel disk.', {
  targetWWNs: opt(atomic(strings(), 'Target world wide names.')),
  lun: opt(int32('Target LUN number.')),
  fsType: fsType(),
  readOnly: readOnly(),
  wwids: opt(atomic(strings(), 'Volume world wide identifiers; use instead of targetWWNs and lun.')),
});

export const azureFileVolumeSourceSchema = named(`${CORE}.AzureFileVolumeSource`, 'An Azure File share (deprecated in-tree plugin).', {
  secretName: str('Secret holding the storage account name and key.'),
  shareName: str('Name of the share.'),
  readOnly: readOnly(),
});

export const configMapVolumeSourceSchema = named(`${CORE}.ConfigMapVolumeSource`, 'Presents the keys of a ConfigMap as files.', {
  name: opt(str("Name of the ConfigMap in the pod's namespace.", { default: '' })),
  items: items('ConfigMap'),
  defaultMode: modeBits('Permission bits for created files (0-0777). Defaults to 0644.'),
  optional: opt(bool('When true, a missing ConfigMap or key is not an error.')),
});

export const vsphereVirtualDiskVolumeSourceSchema = named(
  `${CORE}.VsphereVirtualDiskVolumeSource`,
  'A vSphere disk (deprecated in-tree plugin).',
  {
    volumePath: str('Path of the vmdk.'),
    fsType: fsType(),
    storagePolicyName: opt(str('Storage policy (SPBM) profile name.')),
    storagePolicyID: opt(str('Storage policy (SPBM) profile ID.')),
  },
);

export const quobyteVolumeSourceSchema = named(`${CORE}.QuobyteVolumeSource`, 'A Quobyte volume (deprecated).', {
  registry: str('Quobyte registry services as host:port, comma separated.'),
  volume: str('Name of an existing Quobyte volume.'),
  readOnly: readOnly(),
  user: opt(str('User to map access to.')),
  group: opt(str('Group to map access to.')),
  tenant: opt(str('Tenant owning the volume.')),
});

export const azureDiskVolumeSourceSchema = named(`${CORE}.AzureDiskVolumeSource`, 'An Azure data disk (deprecated in-tree plugin).', {
  diskName: str('Name of the data disk.'),
  diskURI: str('URI of the data disk.'),
  cachingMode: opt(enumOf(['None', 'ReadOnly', 'ReadWrite'], 'Host caching mode.')),
  fsType: opt(str('Filesystem type to mount; defaults to ext4.')),
  readOnly: readOnly(),
  kind: opt(enumOf(['Dedicated', 'Managed', 'Shared'], 'Kind of disk; defaults to Shared.')),
});

export const photonPersistentDiskVolumeSourceSchema = named(
  `${CORE}.PhotonPersistentDiskVolumeSource`,
  'A Photon Controller disk (deprecated).',
  { pdID: str('ID of the disk.'), fsType: fsType() },
);

export const secretProjectionSchema = named(`${CORE}.SecretProjection`, 'Projects the keys of a Secret into a projected volume.', {
  name: opt(str("Name of the Secret in the pod's namespace.", { default: '' })),
  items: items('Secret'),
  optional: opt(bool('When true, a missing Secret or key is not an error.')),
});

export const configMapProjectionSchema = named(`${CORE}.ConfigMapProjection`, 'Projects the keys of a ConfigMap into a projected volume.', {
  name: opt(str("Name of the ConfigMap in the pod's namespace.", { default: '' })),
  items: items('ConfigMap'),
  optional: opt(bool('When true, a missing ConfigMap or key is not an error.')),
});

export const downwardAPIProjectionSchema = named(`${CORE}.DownwardAPIProjection`, 'Projects pod fields into a projected volume.', {
  items: opt(atomic(downwardAPIVolumeFileSchema, 'Files to create.')),
});

export const serviceAccountTokenProjectionSchema = named(
  `${CORE}.ServiceAccountTokenProjection`,
  "Projects a token for the pod's service account, rotated by the node.",
  {
    audience: opt(str('Audience the token is meant for; defaults to the API server.')),
    expirationSeconds: opt(int64('Requested token lifetime in seconds; at least 600, default 3600.')),
    path: str('Relative path of the token file.'),
  },
);

export const clusterTrustBundleProjectionSchema = named(
  `${CORE}.ClusterTrustBundleProjection`,
  'Projects the certificates of selected ClusterTrustBundles into one file.',
  {
    name: opt(str('Select one bundle by name.')),
    signerName: opt(str('Select every bundle of this signer.')),
    labelSelector: opt(field(labelSelectorSchema, 'Narrow the bundles of signerName by label.')),
    optional: opt(bool('When true, missing bundles do not block pod start.')),
    path: str('Relative path of the file to write.'),
  },
);

export const podCertificateProjectionSchema = named(
  `${CORE}.PodCertificateProjection`,
  'Projects a private key and a certificate chain issued for the pod.',
  {
    signerName: str('Signer the certificate requests go to.'),
    keyType: str('Key pair type to generate, such as RSA3072 or ED25519.'),
    maxExpirationSeconds: opt(int32('Longest certificate lifetime allowed, in seconds.')),
    credentialBundlePath: opt(str('Path of one file holding the key followed by the chain.')),
    keyPath: opt(str('Path of the private key file.')),
    certificateChainPath: opt(str('Path of the certificate chain file.')),
    userAnnotations: opt(strMap('Extra information passed to the signer.')),
  },
);

export const volumeProjectionSchema = named(`${CORE}.VolumeProjection`, 'One source of a projected volume; set exactly one field.', {
  secret: opt(field(secretProjectionSchema, 'Keys of a Secret.')),
  downwardAPI: opt(field(downwardAPIProjectionSchema, 'Pod fields.')),
  configMap: opt(field(configMapProjectionSchema, 'Keys of a ConfigMap.')),
  serviceAccountToken: opt(field(serviceAccountTokenProjectionSchema, 'A service account token.')),
  clusterTrustBundle: opt(field(clusterTrustBundleProjectionSchema, 'Certificates from ClusterTrustBundles (alpha).')),
  podCertificate: opt(field(podCertificateProjectionSchema, 'A key and certificate issued for the pod (alpha).')),
});

export const projectedVolumeSourceSchema = named(`${CORE}.ProjectedVolumeSource`, 'Combines several sources into one directory.', {
  sources: opt(atomic(volumeProjectionSchema, 'The sources, each projected into the volume.')),
  defaultMode: modeBits('Permission bits for created files (0-0777). Defaults to 0644.'),
});

export const portworxVolumeSourceSchema = named(`${CORE}.PortworxVolumeSource`, 'A Portworx volume (deprecated in-tree plugin).', {
  volumeID: str('ID of the Portworx volume.'),
  fsType: fsType(),
  readOnly: readOnly(),
});

export const scaleIOVolumeSourceSchema = named(`${CORE}.ScaleIOVolumeSource`, 'A ScaleIO volume (deprecated).', {
  gateway: str('Address of the ScaleIO API gateway.'),
  system: str('Name of the ScaleIO storage system.'),
  secretRef: field(localObjectReferenceSchema, 'Secret with the ScaleIO credentials.'),
  sslEnabled: opt(bool('Use TLS to talk to the gateway.')),
  protectionDomain: opt(str('ScaleIO protection domain.')),
  storagePool: opt(str('ScaleIO storage pool.')),
  storageMode: opt(str('ThickProvisioned or ThinProvisioned (default).')),
  volumeName: opt(str('Name of an existing ScaleIO volume.')),
  fsType: opt(str('Filesystem type to mount; defaults to xfs.')),
  readOnly: readOnly(),
});

export const storageOSVolumeSourceSchema = named(`${CORE}.StorageOSVolumeSource`, 'A StorageOS volume (deprecated).', {
  volumeName: opt(str('Name of the StorageOS volume.')),
  volumeNamespace: opt(str("StorageOS namespace of the volume; defaults to the pod's namespace.")),
  fsType: fsType(),
  readOnly: readOnly(),
  secretRef: lor('Secret with the StorageOS API credentials.'),
});

export const csiVolumeSourceSchema = named(`${CORE}.CSIVolumeSource`, 'An ephemeral volume provided by a CSI driver.', {
  driver: str('Name of the CSI driver.'),
  readOnly: opt(bool('Mount read-only when true. Defaults to false.')),
  fsType: opt(str('Filesystem type to mount; the driver chooses when empty.')),
  volumeAttributes: opt(strMap('Driver-specific attributes.')),
  nodePublishSecretRef: lor('Secret passed to the driver when it publishes the volume on the node.'),
});

export const volumeResourceRequirementsSchema = named(
  `${CORE}.VolumeResourceRequirements`,
  'Storage a claim asks for.',
  {
    limits: opt(mapOf(quantitySchema, 'Most storage the claim may use.')),
    requests: opt(mapOf(quantitySchema, 'Least storage the claim needs.')),
  },
);

export const persistentVolumeClaimSpecSchema = named(
  `${CORE}.PersistentVolumeClaimSpec`,
  'What a PersistentVolumeClaim asks for.',
  {
    accessModes: opt(atomic(strings(), 'Ways the volume must be mountable, such as ReadWriteOnce.')),
    selector: opt(field(labelSelectorSchema, 'Label query over volumes to bind to.')),
    resources: opt(field(volumeResourceRequirementsSchema, 'Minimum storage the volume must have.')),
    volumeName: opt(str('Name of the PersistentVolume to bind to.')),
    storageClassName: opt(str('StorageClass the claim requires.')),
    volumeMode: opt(enumOf(['Block', 'Filesystem'], 'Whether the volume is a filesystem (default) or a raw block device.')),
    dataSource: opt(field(typedLocalObjectReferenceSchema, 'Existing snapshot or claim to fill the volume from.')),
    dataSourceRef: opt(field(typedObjectReferenceSchema, 'Any populator object to fill the volume from.')),
    volumeAttributesClassName: opt(str('VolumeAttributesClass to apply to the volume.')),
  },
);

export const persistentVolumeClaimTemplateSchema = named(
  `${CORE}.PersistentVolumeClaimTemplate`,
  'Template from which the PersistentVolumeClaim of an ephemeral volume is made.',
  {
    metadata: opt(field(objectMetaSchema, 'Labels and annotations copied onto the claim.')),
    spec: field(persistentVolumeClaimSpecSchema, 'Spec of the claim, copied unchanged.'),
  },
);

export const ephemeralVolumeSourceSchema = named(
  `${CORE}.EphemeralVolumeSource`,
  'A volume whose claim is created with the pod and deleted with it.',
  {
    volumeClaimTemplate: opt(
      field(persistentVolumeClaimTemplateSchema, 'Template of the claim, named <pod>-<volume>. Required.'),
    ),
  },
);

export const imageVolumeSourceSchema = named(`${CORE}.ImageVolumeSource`, 'An OCI image or artifact mounted read-only.', {
  reference: opt(str('Image or artifact reference, as for a container image.')),
  pullPolicy: opt(enumOf(['Always', 'IfNotPresent', 'Never'], 'When to pull the reference.')),
});

export const volumeSchema = named(`${CORE}.Volume`, 'A named volume that containers of the pod can mount. Set exactly one source.', {
  name: str('Name of the volume, a DNS label unique within the pod.'),
  hostPath: opt(field(hostPathVolumeSourceSchema, 'A file or directory of the host.')),
  emptyDir: opt(field(emptyDirVolumeSourceSchema, 'A scratch directory that lives as long as the pod.')),
  gcePersistentDisk: opt(field(gcePersistentDiskVolumeSourceSchema, 'A GCE persistent disk (deprecated).')),
  awsElasticBlockStore: opt(field(awsElasticBlockStoreVolumeSourceSchema, 'An AWS EBS volume (deprecated).')),
  gitRepo: opt(field(gitRepoVolumeSourceSchema, 'A git repository clone (deprecated).')),
  secret: opt(field(secretVolumeSourceSchema, 'The keys of a Secret as files.')),
  nfs: opt(field(nfsVolumeSourceSchema, 'An NFS export.')),
  iscsi: opt(field(iscsiVolumeSourceSchema, 'An iSCSI disk.')),
  glusterfs: opt(field(glusterfsVolumeSourceSchema, 'A Glusterfs volume (deprecated).')),
  persistentVolumeClaim: opt(field(persistentVolumeClaimVolumeSourceSchema, 'The volume bound to a claim.')),
  rbd: opt(field(rbdVolumeSourceSchema, 'A Ceph block device (deprecated).')),
  flexVolume: opt(field(flexVolumeSourceSchema, 'A volume from an exec-based driver (deprecated).')),
  cinder: opt(field(cinderVolumeSourceSchema, 'An OpenStack Cinder volume (deprecated).')),
  cephfs: opt(field(cephFSVolumeSourceSchema, 'A CephFS mount (deprecated).')),
  flocker: opt(field(flockerVolumeSourceSchema, 'A Flocker dataset (deprecated).')),
  downwardAPI: opt(field(downwardAPIVolumeSourceSchema, 'Pod fields written as files.')),
  fc: opt(field(fcVolumeSourceSchema, 'A Fibre Channel disk.')),
  azureFile: opt(field(azureFileVolumeSourceSchema, 'An Azure File share (deprecated).')),
  configMap: opt(field(configMapVolumeSourceSchema, 'The keys of a ConfigMap as files.')),
  vsphereVolume: opt(field(vsphereVirtualDiskVolumeSourceSchema, 'A vSphere disk (deprecated).')),
  quobyte: opt(field(quobyteVolumeSourceSchema, 'A Quobyte volume (deprecated).')),
  azureDisk: opt(field(azureDiskVolumeSourceSchema, 'An Azure data disk (deprecated).')),
  photonPersistentDisk: opt(field(photonPersistentDiskVolumeSourceSchema, 'A Photon Controller disk (deprecated).')),
  projected: opt(field(projectedVolumeSourceSchema, 'Several sources combined into one directory.')),
  portworxVolume: opt(field(portworxVolumeSourceSchema, 'A Portworx volume (deprecated).')),
  scaleIO: opt(field(scaleIOVolumeSourceSchema, 'A ScaleIO volume (deprecated).')),
  storageos: opt(field(storageOSVolumeSourceSchema, 'A StorageOS volume (deprecated).')),
  csi: opt(field(csiVolumeSourceSchema, 'An ephemeral volume from a CSI driver.')),
  ephemeral: opt(field(ephemeralVolumeSourceSchema, 'A claim created and deleted with the pod.')),
  image: opt(field(imageVolumeSourceSchema, 'An OCI image or artifact, mounted read-only.')),
});
export type Volume = Static<typeof volumeSchema>;
