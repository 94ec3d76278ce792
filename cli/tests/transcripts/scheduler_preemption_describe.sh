# A pod that fits nowhere: kubectl describe shows the PodScheduled condition
# and the FailedScheduling event, exactly as v1.33 prints them.
kubectl run a --image=nginx --overrides='{"spec":{"containers":[{"name":"a","image":"nginx","resources":{"requests":{"cpu":"1500m"}}}]}}'
kubectl run big --image=nginx --overrides='{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"1"}}}]}}'
kubectl describe pod big
# A higher-priority pod preempts the lower-priority one: the victim gets a
# Preempted event and is deleted gracefully; the preemptor is nominated to
# node01 and bound once the victim is gone.
kubectl create priorityclass high --value=1000 --description="urgent work"
kubectl get priorityclass
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: urgent
spec:
  priorityClassName: high
  containers:
  - name: urgent
    image: nginx
    resources:
      requests:
        cpu: "1"
EOF
kubectl get pod urgent -o jsonpath='{.spec.priority} {.status.nominatedNodeName}{"\n"}'
kubectl get events --field-selector involvedObject.name=a
kubectl get pods -o wide
sleep 30
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.name=urgent
# preemptionPolicy: Never waits in the queue instead of preempting.
kubectl create priorityclass polite --value=2000 --preemption-policy=Never
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: patient
spec:
  priorityClassName: polite
  containers:
  - name: patient
    image: nginx
    resources:
      requests:
        cpu: "1"
EOF
kubectl get events --field-selector involvedObject.name=patient
kubectl get pods
