#!/usr/bin/env python3
"""Generates engine/src/apiserver/decoding/schema.txt from k8s-openapi's
generated v1_33 types: the shape of every kind the apiserver decodes
strictly (engine/src/apiserver/decoding.rs), so the decoder need not compile
k8s-openapi's serde code for ~400 types into the web bundle.

Usage: scripts/gen-decoding-schema.py [K8S_OPENAPI_SRC_DIR] > engine/src/apiserver/decoding/schema.txt

Format, one record per line, fields separated by a tab:
  K <apiVersion> <kind> <type>      a kind and its root type
  T <type>                          a struct; its last segment is the name
                                    serde's errors print ("expected PodSpec")
  F <json name> <shape>             a field of the last T
A shape is `?S` (Option: null is absent), `[]S` (a list), `{}S` (a map with
string keys), `!S` (absent is serde's `missing field` error), a leaf
(string bool i32 i64 f64 Quantity IntOrString Time MicroTime ByteString Any)
or `@type` (a struct).
"""

import glob
import os
import re
import sys

KINDS = [
    ("v1", "Pod", "api::core::v1::Pod"),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "api::autoscaling::v1::HorizontalPodAutoscaler"),
    ("v1", "ConfigMap", "api::core::v1::ConfigMap"),
    ("v1", "Secret", "api::core::v1::Secret"),
    ("v1", "Service", "api::core::v1::Service"),
    ("v1", "Namespace", "api::core::v1::Namespace"),
    ("v1", "Node", "api::core::v1::Node"),
    ("v1", "ServiceAccount", "api::core::v1::ServiceAccount"),
    ("v1", "PersistentVolume", "api::core::v1::PersistentVolume"),
    ("v1", "PersistentVolumeClaim", "api::core::v1::PersistentVolumeClaim"),
    ("v1", "ReplicationController", "api::core::v1::ReplicationController"),
    ("v1", "LimitRange", "api::core::v1::LimitRange"),
    ("v1", "ResourceQuota", "api::core::v1::ResourceQuota"),
    ("v1", "Endpoints", "api::core::v1::Endpoints"),
    ("v1", "Event", "api::core::v1::Event"),
    ("v1", "PodTemplate", "api::core::v1::PodTemplate"),
    ("apps/v1", "Deployment", "api::apps::v1::Deployment"),
    ("apps/v1", "ReplicaSet", "api::apps::v1::ReplicaSet"),
    ("apps/v1", "DaemonSet", "api::apps::v1::DaemonSet"),
    ("apps/v1", "StatefulSet", "api::apps::v1::StatefulSet"),
    ("apps/v1", "ControllerRevision", "api::apps::v1::ControllerRevision"),
    ("batch/v1", "Job", "api::batch::v1::Job"),
    ("batch/v1", "CronJob", "api::batch::v1::CronJob"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "api::autoscaling::v2::HorizontalPodAutoscaler"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest", "api::certificates::v1::CertificateSigningRequest"),
    ("coordination.k8s.io/v1", "Lease", "api::coordination::v1::Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice", "api::discovery::v1::EndpointSlice"),
    ("networking.k8s.io/v1", "Ingress", "api::networking::v1::Ingress"),
    ("networking.k8s.io/v1", "IngressClass", "api::networking::v1::IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy", "api::networking::v1::NetworkPolicy"),
    ("policy/v1", "PodDisruptionBudget", "api::policy::v1::PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role", "api::rbac::v1::Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "api::rbac::v1::ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "api::rbac::v1::RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "api::rbac::v1::ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass", "api::scheduling::v1::PriorityClass"),
    ("storage.k8s.io/v1", "StorageClass", "api::storage::v1::StorageClass"),
]

LEAVES = {
    "std::string::String": "string",
    "bool": "bool",
    "i32": "i32",
    "i64": "i64",
    "f64": "f64",
    "crate::ByteString": "ByteString",
    "crate::serde_json::Value": "Any",
    "crate::apimachinery::pkg::api::resource::Quantity": "Quantity",
    "crate::apimachinery::pkg::util::intstr::IntOrString": "IntOrString",
    "crate::apimachinery::pkg::apis::meta::v1::Time": "Time",
    "crate::apimachinery::pkg::apis::meta::v1::MicroTime": "MicroTime",
    # Newtypes over serde_json::Value: any JSON is accepted.
    "crate::apimachinery::pkg::runtime::RawExtension": "Any",
    "crate::apimachinery::pkg::apis::meta::v1::FieldsV1": "Any",
}


def load(src):
    """Every struct with named fields: path -> (expecting, [(json, rust type, missing_is_error)])."""
    types = {}
    for f in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True):
        rel = os.path.relpath(os.path.dirname(f), src).replace(os.sep, "::")
        text = open(f, encoding="utf-8").read()
        m = re.search(r"^pub struct (\w+) \{\n(.*?)^\}", text, re.S | re.M)
        if not m:
            continue
        name, body = m.group(1), m.group(2)
        fields = re.findall(r"^    pub (\w+): (.+),$", body, re.M)
        json_of = dict((r, j) for j, r in re.findall(r'"([^"]+)" => Field::Key_(\w+),', text))
        exps = [e for e in re.findall(r'write_str\((?:"([^"]+)"|<Self::Value as crate::Resource>::KIND)\)', text) if e != "field identifier"]
        if not exps:
            sys.exit(f"no expecting in {f}")
        if exps[0] == "":
            exps[0] = name
        out = []
        # Resources: apiVersion and kind are checked against constants, not stored.
        for r in ("api_version", "kind"):
            if r in json_of and r not in dict(fields):
                out.append((json_of[r], "std::string::String", False))
        for rust, ty in fields:
            if rust not in json_of:
                sys.exit(f"no json name for {name}.{rust}")
            err = f'missing_field("{json_of[rust]}")' in text
            out.append((json_of[rust], ty, err))
        out.sort(key=lambda x: x[0])
        types[f"{rel}::{name}"] = (exps[0], out)
    return types


def shape(ty, types, want):
    ty = ty.strip()
    for wrap, mark in (("Option<", "?"), ("std::vec::Vec<", "[]"), ("std::boxed::Box<", "")):
        if ty.startswith(wrap) and ty.endswith(">"):
            return mark + shape(ty[len(wrap):-1], types, want)
    pre = "std::collections::BTreeMap<std::string::String, "
    if ty.startswith(pre) and ty.endswith(">"):
        return "{}" + shape(ty[len(pre):-1], types, want)
    if ty in LEAVES:
        return LEAVES[ty]
    if ty.startswith("crate::"):
        path = ty[len("crate::"):]
        if path not in types:
            sys.exit(f"unknown type {ty}")
        want.append(path)
        return "@" + path.replace("::", ".")
    sys.exit(f"unhandled type {ty}")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else glob.glob(
        os.path.expanduser("~/.cargo/registry/src/*/k8s-openapi-0.29.0/src/v1_33"))[0]
    types = load(src)
    print("# Generated by scripts/gen-decoding-schema.py from k8s-openapi 0.29 (v1_33). Do not edit.")
    for av, kind, path in KINDS:
        print(f"K\t{av}\t{kind}\t{path.replace('::', '.')}")
    want = [p for _, _, p in KINDS]
    seen = set()
    while want:
        path = want.pop(0)
        if path in seen:
            continue
        seen.add(path)
        exp, fields = types[path]
        if exp != path.split("::")[-1]:
            sys.exit(f"{path} expects {exp}")
        print(f"T\t{path.replace('::', '.')}")
        for json, ty, err in fields:
            s = shape(ty, types, want)
            if err:
                s = "!" + s
            print(f"F\t{json}\t{s}")


main()
