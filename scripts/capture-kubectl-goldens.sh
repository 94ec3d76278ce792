#!/usr/bin/env bash
# Regenerates the golden outputs of kubectl's generators (create …, run,
# expose) from the real kubectl v1.33 binary.
#
# Cases are in engine/src/kubectl/cmd/goldens/cases.txt, one per line:
#   setup: <shell>            run before the cases (files for --from-file …)
#   object: <kubectl …>       an object the cases read (`expose pod x`): made
#                             here with --dry-run=client -o json and served by
#                             a fake apiserver; the Rust test creates it for real
#   NAME: <kubectl …>         a case; its output goes to goldens/NAME.out
# NAME.out is stdout, then stderr, then `[exit N]` when N ≠ 0.
#
# `run`, `expose` and `create role` ask a server for discovery first, so a
# tiny loopback-only HTTP server (scripts/fake-apiserver.py) answers
# discovery and serves the objects; it is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
K=${KUBECTL:-$(command -v kubectl.1.33 || echo /usr/lib/google-cloud-sdk/bin/kubectl.1.33)}
GOLD=$ROOT/engine/src/kubectl/cmd/goldens
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/fixtures" "$WORK/cwd"
python3 "$ROOT/scripts/fake-apiserver.py" "$WORK/port" "$WORK/fixtures" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
cat > "$WORK/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- cluster: {server: "http://127.0.0.1:$PORT"}
  name: fake
contexts:
- context: {cluster: fake, user: fake, namespace: default}
  name: fake
current-context: fake
users:
- name: fake
  user: {}
KC
export KUBECONFIG=$WORK/kubeconfig
kubectl() { "$K" "$@"; }
cd "$WORK/cwd"
rm -f "$GOLD"/*.out
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    ''|'#'*) continue ;;
    'setup: '*) eval "${line#setup: }" ;;
    'object: '*)
      extra=
      # -f would ask the fake server for the OpenAPI schema it lacks.
      case "$line" in *' -f '*) extra=--validate=false ;; esac
      eval "${line#object: } --dry-run=client -o json $extra" | python3 "$ROOT/scripts/fake-apiserver.py" fixture "$WORK/fixtures" ;;
    *)
      name=${line%%: *}
      cmd=${line#*: }
      set +e
      eval "$cmd" >"$WORK/stdout" 2>"$WORK/stderr"
      rc=$?
      set -e
      { cat "$WORK/stdout" "$WORK/stderr"; if [ $rc -ne 0 ]; then echo "[exit $rc]"; fi; } >"$GOLD/$name.out"
      ;;
  esac
done <"$GOLD/cases.txt"
echo "captured $(ls "$GOLD"/*.out | wc -l) goldens with $("$K" version --client | head -1)"
