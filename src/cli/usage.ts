/** The `k8ts --help` text. */
export const usage = `k8ts — a Kubernetes-compatible pod platform

Usage:
  k8ts up [server flags] [--node-name N] [--node-ip IP] [--agent-port P]
                                                    control plane + a local node (containerd) in one process
  k8ts server [flags]                               control plane only (API server, controllers, scheduler)
      --data-dir DIR        state, certificates, kubeconfig (env K8TS_DATA_DIR, default /var/lib/k8ts)
      --port PORT           HTTPS port (env K8TS_PORT, default 6443)
      --bind-address ADDR   listen address (env K8TS_BIND_ADDRESS, default 127.0.0.1; 0.0.0.0 for all)
      --tls-san NAME        extra DNS name or IP for the serving certificate (repeatable)
      --store sqlite|etcd   state store (env K8TS_STORE, default sqlite: DIR/state.db)
      --etcd-endpoints URLS comma-separated etcd URLs (with --store etcd)
  k8ts agent --server URL --token-file FILE [--data-dir DIR] [--node-name NAME] [--simulate N]
             [--ca-file FILE] [--node-ip IP] [--agent-port P (10250)] [--kubeconfig FILE]
  k8ts image import FILE… [--data-dir DIR] [--tag NAME]
  k8ts kubeconfig [--user NAME] [--group GROUP]… [--data-dir DIR] [--server URL]
                                                    print a kubeconfig for a new identity
  k8ts --help

Once the API serves, DIR/admin.kubeconfig is a cluster-admin kubeconfig:
  kubectl --kubeconfig DIR/admin.kubeconfig get --raw /readyz
`;
