# Storage: the cluster's default StorageClass (local-path, as on the course
# clusters); a claim of class manual binds the smallest PV that fits; a
# claim naming no class gets the default class from the DefaultStorageClass
# admission plugin, waits for its first consumer, and is then given a
# volume provisioned on that pod's node; with the Delete policy the volume
# goes with the claim.
kubectl get sc
kubectl get sc local-path -o yaml
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-small
spec:
  capacity:
    storage: 1Gi
  accessModes: ["ReadWriteOnce"]
  storageClassName: manual
  hostPath:
    path: /data/small
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-big
spec:
  capacity:
    storage: 5Gi
  accessModes: ["ReadWriteOnce"]
  storageClassName: manual
  hostPath:
    path: /data/big
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-medium
spec:
  capacity:
    storage: 2Gi
  accessModes: ["ReadWriteOnce"]
  storageClassName: manual
  hostPath:
    path: /data/medium
EOF
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: claim-manual
spec:
  storageClassName: manual
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1500Mi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: claim-dynamic
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 500Mi
EOF
kubectl get pvc
kubectl get pv
kubectl get pvc claim-dynamic -o jsonpath='{.spec.storageClassName}'; echo
cat <<EOF | kubectl apply -f -
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
      claimName: claim-dynamic
EOF
sleep 10
kubectl get pvc
kubectl get pv
kubectl get pod app -o wide
kubectl get pvc claim-dynamic -o jsonpath='{.metadata.annotations}'; echo
kubectl get pv -o jsonpath='{range .items[?(@.spec.storageClassName=="local-path")]}{.spec.hostPath.path} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}{"\n"}{end}'
kubectl delete pod app
kubectl delete pvc claim-dynamic
sleep 5
kubectl get pv
