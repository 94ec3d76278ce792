# kubectl replace -f and delete -f visit every object and collect the errors, as apply and
# create do: what succeeded is printed as it happens, the errors after the visit, exit 1. One
# error alone keeps its own form (an invalid object as "The Service ... is invalid"); several
# print one per line in StandardErrorMessage's form ("Error from server (Invalid): error when
# replacing ...", a client error without its "error: " prefix).
kubectl create configmap settings --from-literal=mode=fast
kubectl create service clusterip web --tcp=80:80
cat > /root/all.yaml <<'Y'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: slow
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: missing
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 0
Y
kubectl replace -f /root/all.yaml; echo "exit $?"
kubectl get cm settings -o jsonpath='{.data.mode}'; echo
cat > /root/one.yaml <<'Y'
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 0
Y
kubectl replace -f /root/one.yaml; echo "exit $?"
cat > /root/del.yaml <<'Y'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: v1
kind: Widget
metadata:
  name: w
---
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: g
Y
kubectl delete -f /root/del.yaml; echo "exit $?"
kubectl get cm settings
