#!/usr/bin/env python3
"""A tiny loopback-only stand-in for an apiserver, enough for kubectl's
client-side generators (`run`, `expose`, `create role`, ...) to work
offline: it serves discovery (/api, /apis, resource lists) and, read-only,
the objects found as JSON files in FIXTURES (objects written there by
`kubectl ... --dry-run=client -o json`). Everything else is a 404 Status.

Usage: fake-apiserver.py PORTFILE FIXTURES_DIR  (binds 127.0.0.1:0, writes the port)
       fake-apiserver.py fixture FIXTURES_DIR < object.json
"""
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
# (group, version, plural, singular, kind, namespaced, shortNames)
RESOURCES = [
    ("", "v1", "pods", "pod", "Pod", True, ["po"]),
    ("", "v1", "services", "service", "Service", True, ["svc"]),
    ("", "v1", "namespaces", "namespace", "Namespace", False, ["ns"]),
    ("", "v1", "nodes", "node", "Node", False, ["no"]),
    ("", "v1", "configmaps", "configmap", "ConfigMap", True, ["cm"]),
    ("", "v1", "secrets", "secret", "Secret", True, []),
    ("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", True, ["sa"]),
    ("", "v1", "replicationcontrollers", "replicationcontroller", "ReplicationController", True, ["rc"]),
    ("", "v1", "resourcequotas", "resourcequota", "ResourceQuota", True, ["quota"]),
    ("", "v1", "endpoints", "endpoints", "Endpoints", True, ["ep"]),
    ("", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", False, ["pv"]),
    ("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", True, ["pvc"]),
    ("", "v1", "limitranges", "limitrange", "LimitRange", True, ["limits"]),
    ("apps", "v1", "deployments", "deployment", "Deployment", True, ["deploy"]),
    ("apps", "v1", "replicasets", "replicaset", "ReplicaSet", True, ["rs"]),
    ("apps", "v1", "statefulsets", "statefulset", "StatefulSet", True, ["sts"]),
    ("apps", "v1", "daemonsets", "daemonset", "DaemonSet", True, ["ds"]),
    ("batch", "v1", "jobs", "job", "Job", True, []),
    ("batch", "v1", "cronjobs", "cronjob", "CronJob", True, ["cj"]),
    ("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True, ["hpa"]),
    ("autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", True, ["hpa"]),
    ("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", True, ["ing"]),
    ("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", True, ["netpol"]),
    ("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", True, ["pdb"]),
    ("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", True, []),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", True, []),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", False, []),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", False, []),
    ("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", False, ["pc"]),
    ("storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", False, ["sc"]),
    ("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", False, []),
]
SUBRESOURCES = {"pods": ["status", "log", "exec", "eviction", "binding"], "deployments": ["scale", "status"],
                "replicasets": ["scale", "status"], "statefulsets": ["scale", "status"],
                "replicationcontrollers": ["scale", "status"], "serviceaccounts": ["token"]}

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../engine/src/kubectl/explain/schema.txt")

def openapi_v3():
    """OpenAPI v3 documents per group-version, built from Dinghy's explain
    table (so the real `kubectl explain` renders the very data Dinghy's
    does): {"api/v1": doc, "apis/apps/v1": doc, ...}."""
    def unesc(s):
        return s.replace("\\\\", "\0").replace("\\n", "\n").replace("\0", "\\")
    def schema(t):
        if t.startswith("[]"):
            return {"type": "array", "items": schema(t[2:])}
        if t.startswith("map[string]"):
            return {"type": "object", "additionalProperties": schema(t[11:])}
        if t.startswith("@"):
            return {"$ref": "#/components/schemas/" + t[1:]}
        if t == "-":
            return {}
        return {"type": t}
    schemas, kinds, last = {}, [], None
    with open(SCHEMA) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if f[0] == "K":
                kinds.append(f[1:])
            elif f[0] == "T":
                last = {"description": unesc(f[3])} if f[3] else {}
                if f[2] == "-":
                    last["oneOf"] = [{"type": "string"}, {"type": "integer"}]
                else:
                    last["type"] = f[2]
                schemas[f[1]] = last
            elif f[0] == "F":
                s = schema(f[3])
                if "$ref" in s and f[4]:
                    s = {"allOf": [s]}
                if f[4]:
                    s["description"] = unesc(f[4])
                last.setdefault("properties", {})[f[1]] = s
                if f[2] == "1":
                    last.setdefault("required", []).append(f[1])
    docs = {}
    for g, v, kind, t in kinds:
        schemas[t]["x-kubernetes-group-version-kind"] = [{"group": g, "kind": kind, "version": v}]
        res = next((r for r in RESOURCES if (r[0], r[1], r[4]) == (g, v, kind)), None)
        if res is None:
            continue
        key = f"apis/{g}/{v}" if g else f"api/{v}"
        path = "/" + key + ("/namespaces/{namespace}/" if res[5] else "/") + res[2]
        doc = docs.setdefault(key, {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.33.1"},
                                    "paths": {}, "components": {"schemas": schemas}})
        doc["paths"][path] = {"get": {"x-kubernetes-group-version-kind": {"group": g, "kind": kind, "version": v}}}
    return docs

def groups():
    out = {}
    for g, v, *_ in RESOURCES:
        if g:
            out.setdefault(g, [])
            if v not in out[g]:
                out[g].append(v)
    return out

def resource_list(g, v):
    rs = []
    for rg, rv, plural, singular, kind, ns, short in RESOURCES:
        if rg != g or rv != v:
            continue
        rs.append({"name": plural, "singularName": singular, "namespaced": ns, "kind": kind,
                   "verbs": RW, "shortNames": short})
        for sub in SUBRESOURCES.get(plural, []):
            rs.append({"name": f"{plural}/{sub}", "singularName": "", "namespaced": ns, "kind": kind,
                       "verbs": ["get", "create", "update", "patch"]})
    if not rs:
        return None
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{g}/{v}" if g else v, "resources": rs}

class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def not_found(self):
        self.send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": "the server could not find the requested resource", "reason": "NotFound",
                        "details": {}, "code": 404})

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path == "/api":
            return self.send(200, {"kind": "APIVersions", "versions": ["v1"],
                                   "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if path == "/apis":
            gs = []
            for g, vs in groups().items():
                gvs = [{"groupVersion": f"{g}/{v}", "version": v} for v in vs]
                gs.append({"name": g, "versions": gvs, "preferredVersion": gvs[0]})
            return self.send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": gs})
        if path == "/openapi/v3":
            return self.send(200, {"paths": {k: {"serverRelativeURL": f"/openapi/v3/{k}?hash=0"} for k in openapi_v3()}})
        if path.startswith("/openapi/v3/"):
            doc = openapi_v3().get(path[len("/openapi/v3/"):])
            return self.send(200, doc) if doc else self.not_found()
        if path == "/version":
            return self.send(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.1"})
        parts = path.strip("/").split("/")
        if parts[0] == "api" and len(parts) == 2:
            rl = resource_list("", parts[1])
            return self.send(200, rl) if rl else self.not_found()
        if parts[0] == "apis" and len(parts) == 3:
            rl = resource_list(parts[1], parts[2])
            return self.send(200, rl) if rl else self.not_found()
        # Objects: /api/v1/namespaces/NS/PLURAL/NAME or /apis/G/V/namespaces/NS/PLURAL/NAME
        rest = parts[2:] if parts[0] == "api" else parts[3:]
        if len(rest) == 4 and rest[0] == "namespaces":
            f = os.path.join(FIXTURES, f"{rest[1]}_{rest[2]}_{rest[3]}.json")
        elif len(rest) == 2:
            f = os.path.join(FIXTURES, f"_{rest[0]}_{rest[1]}.json")
        else:
            f = ""
        if f and os.path.isfile(f):
            with open(f) as fh:
                return self.send(200, json.load(fh))
        if len(rest) >= 2:
            plural, name = rest[-2], rest[-1]
            # The apiserver names the resource with its group: deployments.apps "x".
            qualified = plural if parts[0] == "api" else f"{plural}.{parts[1]}"
            return self.send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                   "message": f"{qualified} \"{name}\" not found", "reason": "NotFound",
                                   "details": {"name": name, "kind": plural}, "code": 404})
        return self.not_found()

def read_body(h):
    """The request body: kubectl sends creates chunked, without a length."""
    if h.headers.get("Content-Length"):
        return h.rfile.read(int(h.headers["Content-Length"]))
    data = b""
    while True:
        size = int(h.rfile.readline().strip().split(b";")[0] or b"0", 16)
        if size == 0:
            h.rfile.readline()
            return data
        data += h.rfile.read(size)
        h.rfile.readline()

def pb_fields(b):
    """The length-delimited fields of a protobuf message: {number: [bytes]}."""
    out, i = {}, 0
    def varint():
        nonlocal i
        v, shift = 0, 0
        while True:
            c = b[i]; i += 1
            v |= (c & 0x7F) << shift; shift += 7
            if c < 0x80:
                return v
    while i < len(b):
        key = varint()
        num, wt = key >> 3, key & 7
        if wt == 0:
            varint()
        elif wt == 2:
            n = varint()
            out.setdefault(num, []).append(b[i:i + n]); i += n
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        else:
            break
    return out

def from_protobuf(raw):
    """Enough of a protobuf-encoded object (kubectl create sends built-in
    kinds that way) to answer: apiVersion, kind, metadata.name."""
    unknown = pb_fields(raw[4:])  # after the "k8s\0" magic
    tm = pb_fields(unknown.get(1, [b""])[0])
    obj = pb_fields(unknown.get(2, [b""])[0])
    meta = pb_fields(obj.get(1, [b""])[0])
    s = lambda f, n: f.get(n, [b""])[0].decode()
    return {"apiVersion": s(tm, 1), "kind": s(tm, 2),
            "metadata": {"name": s(meta, 1)}}

def do_POST(self):
    """Creates answer 409 AlreadyExists when the object is a fixture, and
    echo the body back (201) otherwise; nothing is stored."""
    path = self.path.split("?")[0].rstrip("/")
    raw = read_body(self)
    if self.headers.get("Content-Type", "").startswith("application/vnd.kubernetes.protobuf"):
        body = from_protobuf(raw)
    else:
        body = json.loads(raw or b"{}")
    parts = path.strip("/").split("/")
    group = "" if parts[0] == "api" else parts[1]
    rest = parts[2:] if parts[0] == "api" else parts[3:]
    name = body.get("metadata", {}).get("name", "")
    if len(rest) == 3 and rest[0] == "namespaces":
        ns, plural = rest[1], rest[2]
    else:
        ns, plural = "", rest[-1]
    if os.path.isfile(os.path.join(FIXTURES, f"{ns}_{plural}_{name}.json")):
        qualified = f"{plural}.{group}" if group else plural
        return self.send(409, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                               "message": f"{qualified} \"{name}\" already exists", "reason": "AlreadyExists",
                               "details": {"name": name, "group": group, "kind": plural}, "code": 409})
    return self.send(201, body)

H.do_POST = do_POST

def save_fixture(d):
    """Stores the object on stdin (JSON) where the server looks for it."""
    obj = json.load(sys.stdin)
    # A stored object has a UID (the golden test reads any UUID as <uid>).
    obj["metadata"]["uid"] = "6f1c0a9e-2b7d-4c1e-9a55-0d3e8f7b2c41"
    plural = next(r[2] for r in RESOURCES if r[4] == obj["kind"])
    ns = obj["metadata"].get("namespace", "default") if next(r[5] for r in RESOURCES if r[4] == obj["kind"]) else ""
    with open(os.path.join(d, f"{ns}_{plural}_{obj['metadata']['name']}.json"), "w") as fh:
        json.dump(obj, fh)

if __name__ == "__main__":
    if sys.argv[1] == "fixture":
        save_fixture(sys.argv[2])
        sys.exit(0)
    portfile, FIXTURES = sys.argv[1], sys.argv[2]
    srv = HTTPServer(("127.0.0.1", 0), H)
    with open(portfile, "w") as fh:
        fh.write(str(srv.server_address[1]))
    srv.serve_forever()
