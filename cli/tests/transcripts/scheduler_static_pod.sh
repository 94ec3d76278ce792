# kube-scheduler is a static pod: with its manifest moved out of
# /etc/kubernetes/manifests it does not run, and new pods stay Pending with
# no events at all.
mv /etc/kubernetes/manifests/kube-scheduler.yaml /root/
kubectl run web --image=nginx
sleep 5
kubectl get pods -o wide
kubectl get events
# Putting the manifest back starts it, and the pending pod is scheduled.
mv /root/kube-scheduler.yaml /etc/kubernetes/manifests/
sleep 30
kubectl get pods -o wide
kubectl get events
# A typo in a flag makes the scheduler crash at start: nothing is scheduled.
sed -i 's/--leader-elect=true/--leader-elekt=true/' /etc/kubernetes/manifests/kube-scheduler.yaml
kubectl run db --image=nginx
sleep 5
kubectl get pod db -o wide
sed -i 's/--leader-elekt=true/--leader-elect=true/' /etc/kubernetes/manifests/kube-scheduler.yaml
sleep 30
kubectl get pod db -o wide
# Stopping the control plane's kubelet does not stop its containers: the
# scheduler keeps scheduling, but a manifest moved meanwhile goes unnoticed
# until the kubelet starts again.
systemctl stop kubelet
mv /etc/kubernetes/manifests/kube-scheduler.yaml /root/
kubectl run cache --image=nginx
kubectl get pod cache -o wide
systemctl start kubelet
kubectl run queue --image=nginx
kubectl get pod queue -o wide
mv /root/kube-scheduler.yaml /etc/kubernetes/manifests/
kubectl get pod queue -o wide
# Pods for another scheduler wait until a scheduler with that name runs:
# here a second static pod with a KubeSchedulerConfiguration, as in the CKA
# course (on its own --secure-port: both use the host's network).
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: custom
spec:
  schedulerName: my-scheduler
  containers:
  - name: custom
    image: nginx
EOF
kubectl get pod custom -o wide
cat > /etc/kubernetes/my-scheduler-config.yaml <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: my-scheduler
leaderElection:
  leaderElect: false
EOF
sed -e 's/name: kube-scheduler$/name: my-scheduler/' -e 's|    - --leader-elect=true|    - --leader-elect=false\n    - --secure-port=10282\n    - --config=/etc/kubernetes/my-scheduler-config.yaml|' -e 's|    - mountPath: /etc/kubernetes/scheduler.conf|    - mountPath: /etc/kubernetes/my-scheduler-config.yaml\n      name: config\n      readOnly: true\n    - mountPath: /etc/kubernetes/scheduler.conf|' -e 's|  - hostPath:|  - hostPath:\n      path: /etc/kubernetes/my-scheduler-config.yaml\n      type: File\n    name: config\n  - hostPath:|' /etc/kubernetes/manifests/kube-scheduler.yaml > /etc/kubernetes/manifests/my-scheduler.yaml
grep -n -e config -e my-scheduler -e port= /etc/kubernetes/manifests/my-scheduler.yaml
kubectl get pod custom -o wide
kubectl get events --field-selector involvedObject.name=custom
