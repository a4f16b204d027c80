#!/usr/bin/env python3
"""Cross-checks scripts/deploy/k8s/*.yaml beyond what their schemas say (run with the deploy venv's python,
which has PyYAML through kubernetes-validate). Prints `PASS detail` or `FAIL detail`; exits 0 or 1.

- the Service, the PodDisruptionBudget and the autoscalers point at the Deployment and its pod labels;
- the three probes are HTTP GETs of /health on a port the container declares;
- terminationGracePeriodSeconds exceeds the preStop sleep plus vlserve's --drain-timeout;
- the KEDA ScaledObject (no schema in kubernetes-validate) has a Prometheus trigger on
  vllm:num_requests_waiting with a numeric threshold;
- the Ingress routes to the Service's port.
"""
import glob
import os
import sys

import yaml


def main() -> None:
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "k8s")
    docs = []
    for path in sorted(glob.glob(os.path.join(directory, "*.yaml"))):
        with open(path) as f:
            docs += [d for d in yaml.safe_load_all(f) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    problems = []

    def expect(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    (dep,) = by_kind["Deployment"]
    name = dep["metadata"]["name"]
    pod = dep["spec"]["template"]
    labels = pod["metadata"]["labels"]
    expect(dep["spec"]["selector"]["matchLabels"].items() <= labels.items(), "Deployment selector does not match its pods")
    (container,) = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container.get(probe, {}).get("httpGet", {})
        expect(get.get("path") == "/health", f"{probe} is not an HTTP GET of /health")
        expect(get.get("port") in ports or get.get("port") in ports.values(), f"{probe} port is not declared")
    args = container.get("args", [])
    drain = next((float(a.split("=", 1)[1]) for a in args if a.startswith("--drain-timeout=")), 30.0)
    pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
    sleep = float(pre_stop[-1]) if "sleep" in pre_stop[0] else 0.0
    grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
    expect(grace > sleep + drain, f"terminationGracePeriodSeconds {grace} <= preStop {sleep} + drain {drain}")
    expect("requests" in container.get("resources", {}), "no resource requests")

    (svc,) = by_kind["Service"]
    expect(svc["spec"]["selector"].items() <= labels.items(), "Service selector does not match the pods")
    svc_ports = {p["name"]: p for p in svc["spec"]["ports"]}
    expect(all(p["targetPort"] in ports or p["targetPort"] in ports.values() for p in svc_ports.values()),
           "Service targetPort is not a container port")
    for pdb in by_kind.get("PodDisruptionBudget", []):
        expect(pdb["spec"]["selector"]["matchLabels"].items() <= labels.items(), "PDB selector does not match the pods")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        expect(hpa["spec"]["scaleTargetRef"]["name"] == name, "HPA does not target the Deployment")
        metrics = [m["pods"]["metric"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Pods"]
        expect(metrics == ["vllm_num_requests_waiting"], f"HPA metrics {metrics}")
    scaled = by_kind.get("ScaledObject", [])
    expect(len(scaled) == 1, "no KEDA ScaledObject")
    for so in scaled:
        expect(so["apiVersion"] == "keda.sh/v1alpha1", "ScaledObject apiVersion")
        expect(so["spec"]["scaleTargetRef"]["name"] == name, "ScaledObject does not target the Deployment")
        expect(so["spec"]["minReplicaCount"] <= so["spec"]["maxReplicaCount"], "ScaledObject min > max")
        for t in so["spec"]["triggers"]:
            expect(t["type"] == "prometheus", "ScaledObject trigger is not prometheus")
            expect("vllm:num_requests_waiting" in t["metadata"]["query"], "ScaledObject query")
            try:
                float(t["metadata"]["threshold"])
            except (KeyError, ValueError):
                problems.append("ScaledObject threshold is not a number")
    for ing in by_kind.get("Ingress", []):
        for rule in ing["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                backend = p["backend"]["service"]
                expect(backend["name"] == svc["metadata"]["name"], "Ingress backend is not the Service")
                expect(backend["port"].get("name") in svc_ports, "Ingress backend port is not the Service's")
    kinds = ", ".join(sorted(f"{k}" for k in by_kind))
    if problems:
        print("FAIL " + "; ".join(problems))
        sys.exit(1)
    print(f"PASS {len(docs)} resources ({kinds}) consistent: selectors, autoscaler targets, probes on /health, "
          f"grace {grace} s > preStop {sleep:g} s + drain {drain:g} s")


if __name__ == "__main__":
    main()
