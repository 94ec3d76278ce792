#!/usr/bin/env python3
"""Captures kubectl v1.33's help texts for the commands Dinghy has.

Writes
  engine/src/kubectl/help/texts.txt   what Dinghy prints verbatim: for each
      command, its help up to its Options (description, Aliases, Examples,
      Available Commands), after a line `@@ <command>`. The Options block is
      not kept: Dinghy generates it from its flag tables (kubectl/flags.rs),
      and the Usage line comes from each Command's `usage`.
  engine/src/kubectl/help/goldens/<command>.txt   the whole help, which the
      test `help::tests::help_matches_kubectl` compares with Dinghy's.
Help needs no server: the binary runs offline.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K = os.environ.get("KUBECTL", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33")
OUT = os.path.join(ROOT, "engine/src/kubectl/help")

COMMANDS = """kubectl
help
options
annotate
api-resources
api-versions
apply
auth
auth can-i
auth whoami
autoscale
certificate
certificate approve
certificate deny
cluster-info
completion
config
config current-context
config get-contexts
config set-context
config use-context
config view
cordon
cp
create
create clusterrole
create clusterrolebinding
create configmap
create cronjob
create deployment
create ingress
create job
create namespace
create priorityclass
create quota
create role
create rolebinding
create secret
create secret docker-registry
create secret generic
create secret tls
create service
create service clusterip
create service externalname
create service loadbalancer
create service nodeport
create serviceaccount
create token
delete
describe
drain
edit
events
exec
explain
expose
get
label
logs
patch
port-forward
proxy
replace
rollout
rollout history
rollout pause
rollout restart
rollout resume
rollout status
rollout undo
run
scale
set
set env
set image
set resources
set selector
set serviceaccount
taint
top
top node
top pod
uncordon
version
wait""".split("\n")


def main():
    os.makedirs(os.path.join(OUT, "goldens"), exist_ok=True)
    env = dict(os.environ, KUBECONFIG="/dev/null", HOME="/root")
    texts = []
    for name in COMMANDS:
        if name == "kubectl":
            argv = ["--help"]
        elif name == "options":
            argv = ["options"]
        else:
            argv = name.split() + ["--help"]
        full = subprocess.run([K] + argv, capture_output=True, text=True, env=env, check=True).stdout
        with open(os.path.join(OUT, "goldens", name.replace(" ", "-") + ".txt"), "w") as f:
            f.write(full)
        if name == "options":
            continue  # generated whole from the global flags
        end = full.find("\nOptions:\n")
        if end < 0:
            end = full.find("\nUsage:\n")
        if end < 0:
            sys.exit(f"no Usage in the help of {name}")
        texts.append(f"@@ {name}\n{full[:end].rstrip()}\n")
    with open(os.path.join(OUT, "texts.txt"), "w") as f:
        f.write("".join(texts))


if __name__ == "__main__":
    main()
