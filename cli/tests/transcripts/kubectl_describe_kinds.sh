# kubectl describe for every kind beyond the everyday ones, laid out as
# kubectl v1.33's describers lay them out (k8s.io/kubectl/pkg/describe).
# Storage: a PV, a claim that binds it, the pod using it, the StorageClass.
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-data
spec:
  capacity:
    storage: 1Gi
  accessModes: ["ReadWriteOnce"]
  storageClassName: manual
  hostPath:
    path: /data/pv
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  storageClassName: manual
  resources:
    requests:
      storage: 500Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
EOF
sleep 5
kubectl describe pv pv-data
kubectl describe pvc data
kubectl describe storageclass local-path
# Workloads: a Job, a CronJob, a DaemonSet, a StatefulSet.
kubectl create job once --image=busybox -- echo done
sleep 10
kubectl describe job once
kubectl create cronjob nightly --image=busybox --schedule="0 2 * * *" -- date
kubectl describe cronjob nightly
kubectl describe daemonset kube-proxy -n kube-system
cat <<EOF | kubectl apply -f -
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: redis
  volumeClaimTemplates:
  - metadata:
      name: store
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 100Mi
EOF
sleep 5
kubectl describe sts db
# Autoscaling: the v2 describer, for an HPA made with autoscale.
kubectl create deployment web --image=nginx
kubectl autoscale deployment web --min=1 --max=4 --cpu-percent=50
sleep 30
kubectl describe hpa web
# Networking: a Service's Endpoints, an Ingress, a NetworkPolicy, an IngressClass.
kubectl expose deployment web --port=80
sleep 2
kubectl describe endpoints web
kubectl create ingress shop --rule="shop.example.com/=web:80" --rule="shop.example.com/api*=api:8080"
kubectl describe ingress shop
cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-allow-web
spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes: ["Ingress", "Egress"]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web
    - namespaceSelector:
        matchLabels:
          team: ops
      podSelector:
        matchLabels:
          role: admin
    ports:
    - protocol: TCP
      port: 6379
  - from:
    - ipBlock:
        cidr: 10.0.0.0/16
        except: ["10.0.1.0/24"]
  egress: []
EOF
kubectl describe netpol db-allow-web
# Access: a ServiceAccount, a Role with several rules, a ClusterRole, bindings.
kubectl create serviceaccount bot
kubectl describe sa bot
kubectl create role reader --verb=get,list,watch --resource=pods,deployments.apps --resource-name=
kubectl create role logs --verb=get --resource=pods/log --verb=list
kubectl describe role reader logs
kubectl create clusterrole nodes-view --verb=get,list --resource=nodes,nodes/status
kubectl create clusterrole health --verb=get --non-resource-url=/healthz,/livez
kubectl describe clusterrole nodes-view health
kubectl create rolebinding bot-reader --role=reader --serviceaccount=default:bot --user=jane
kubectl describe rolebinding bot-reader
kubectl create clusterrolebinding bot-nodes --clusterrole=nodes-view --group=ops
kubectl describe clusterrolebinding bot-nodes
# Scheduling: a PriorityClass.
kubectl create priorityclass high --value=1000 --description="for the important ones"
kubectl describe pc high
# Kinds with no describer of their own get kubectl's generic describer.
kubectl describe lease controlplane -n kube-node-lease
# The Secret and Namespace describers show no Events.
kubectl create secret generic s1 --from-literal=a=b
kubectl describe secret s1
kubectl describe ns default
# A namespace lists its quotas and limit ranges.
kubectl create namespace team
kubectl create quota small --hard=pods=4,requests.cpu=1 -n team
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: team
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
    defaultRequest:
      cpu: 100m
    max:
      memory: 1Gi
EOF
kubectl describe ns team
# An EndpointSlice.
kubectl describe endpointslice -l kubernetes.io/service-name=web
