#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A kubelet stand-in for tests: runs pods and containers through a CRI
# runtime's gRPC socket, with the labels kubelet itself sets.
#   cri_kubelet.py GEN_DIR SOCKET pod NAME NAMESPACE UID [k=v ...]  -> sandbox id
#   cri_kubelet.py GEN_DIR SOCKET ctr SANDBOX NAME IMAGE [k=v ...] -- CMD...  -> container id
#   cri_kubelet.py GEN_DIR SOCKET rmpod SANDBOX
# GEN_DIR holds api_pb2.py / api_pb2_grpc.py generated from the CRI proto.
import json
import sys
import time

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
import api_pb2 as pb  # noqa: E402
import api_pb2_grpc as pbg  # noqa: E402

sock, cmd, args = sys.argv[2], sys.argv[3], sys.argv[4:]
rt = pbg.RuntimeServiceStub(grpc.insecure_channel("unix://" + sock))
NODE = pb.NamespaceOption(network=pb.NODE)


def kv(items):
    return dict(i.split("=", 1) for i in items)


def pod_config(name, ns, uid, labels, annotations):
    all_labels = dict(labels)
    all_labels.update({"io.kubernetes.pod.name": name, "io.kubernetes.pod.namespace": ns,
                       "io.kubernetes.pod.uid": uid})
    return pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=name, namespace=ns, uid=uid, attempt=0),
        hostname="", log_directory="", labels=all_labels, annotations=annotations,
        linux=pb.LinuxPodSandboxConfig(cgroup_parent="/kubepods/besteffort/pod" + uid,
                                       security_context=pb.LinuxSandboxSecurityContext(namespace_options=NODE)))


if cmd == "pod":
    name, ns, uid = args[:3]
    labels = kv(args[3:])
    # kubectl's record of the pod: the container's probes live there
    applied = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
               "spec": {"containers": [{"name": "app", "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}},
                                        "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]}}}]}}
    ann = {"kubectl.kubernetes.io/last-applied-configuration": json.dumps(applied)}
    r = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=pod_config(name, ns, uid, labels, ann)), timeout=60)
    print(r.pod_sandbox_id)
elif cmd == "ctr":
    sep = args.index("--")
    sandbox, name, image = args[:3]
    labels = kv(args[3:sep])
    command = args[sep + 1:]
    st = rt.PodSandboxStatus(pb.PodSandboxStatusRequest(pod_sandbox_id=sandbox), timeout=30).status
    m = st.metadata
    labels.update({"io.kubernetes.pod.name": m.name, "io.kubernetes.pod.namespace": m.namespace,
                   "io.kubernetes.pod.uid": m.uid, "io.kubernetes.container.name": name})
    cfg = pb.ContainerConfig(metadata=pb.ContainerMetadata(name=name), image=pb.ImageSpec(image=image),
                             command=command, labels=labels,
                             linux=pb.LinuxContainerConfig(security_context=pb.LinuxContainerSecurityContext(
                                 namespace_options=NODE)))
    sandbox_cfg = pod_config(m.name, m.namespace, m.uid, {}, {})
    c = rt.CreateContainer(pb.CreateContainerRequest(pod_sandbox_id=sandbox, config=cfg,
                                                     sandbox_config=sandbox_cfg), timeout=60).container_id
    rt.StartContainer(pb.StartContainerRequest(container_id=c), timeout=60)
    print(c)
elif cmd == "rmpod":
    rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=args[0]), timeout=60)
    rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=args[0]), timeout=60)
elif cmd == "wait":
    deadline = time.time() + 30
    while time.time() < deadline:
        s = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=args[0]), timeout=10).status
        if s.state == pb.CONTAINER_EXITED:
            break
        time.sleep(0.1)
else:
    sys.exit("unknown command " + cmd)
