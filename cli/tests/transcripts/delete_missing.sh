# kubectl delete does not fetch what it is told to delete (the builder's RequireObject(false)):
# a missing object is reported by the DELETE itself, wrapped with its -f source; with
# --ignore-not-found it still counts as found, so nothing is printed; a client dry run never
# asks the server. --ignore-not-found defaults to true only with --all, -l or --field-selector.
kubectl create configmap kept --from-literal=a=1
cat > /root/cms.yaml <<'Y'
apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gone
Y
kubectl delete pod zz; echo "exit $?"
kubectl delete pod zz --ignore-not-found; echo "exit $?"
kubectl delete -f /root/cms.yaml --dry-run=client; echo "exit $?"
kubectl delete -f /root/cms.yaml; echo "exit $?"
kubectl delete -f /root/cms.yaml; echo "exit $?"
kubectl delete -f /root/cms.yaml --ignore-not-found; echo "exit $?"
kubectl delete pods -l app=none; echo "exit $?"
kubectl delete pods -l app=none --ignore-not-found=false; echo "exit $?"
kubectl delete cm/gone cm/kept -o name; echo "exit $?"
