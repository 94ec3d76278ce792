# kubectl run --attach (the default with -i), as run.go does it: wait up to
# --pod-running-timeout for the pod to be running and ready, attach (or show
# the logs of a pod that already completed), then with restartPolicy Never or
# OnFailure wait for the exit code. --rm deletes the pod before any error is
# printed. The waits end at the moment the condition holds, or at the timeout.
kubectl run a --rm -it --image=busybox:1.28 --restart=Never -- echo hi
echo "rc=$?"
kubectl run b --rm -it --image=busybox:1.28 --restart=Never -- sh -c 'echo failing; exit 3'
echo "rc=$?"
# restartPolicy Always (the default): a command that ends at once never
# makes the pod ready, so kubectl times out after a minute.
date
kubectl run c -it --image=busybox:1.28 -- echo hi
echo "rc=$?"
date
kubectl get pod c
# A process that keeps running: attached (this terminal gives the session
# up after ten seconds), then the reattach hint for restartPolicy Always.
kubectl run d -it --image=busybox:1.28 -- sleep 3600
echo "rc=$?"
kubectl run q -it -q --image=busybox:1.28 -- sleep 3600
echo "rc=$?"
# An image that never pulls: --pod-running-timeout bounds the wait.
kubectl run e -i --image=nginx:nope --pod-running-timeout=5s
echo "rc=$?"
kubectl get pod e
kubectl run f --rm -i --image=nginx:nope --pod-running-timeout=5s --port=80 --expose
echo "rc=$?"
kubectl get pod,svc f
# Attached until the process ends (what it wrote before the attach is not
# shown: v1.33 has no pre-attach logs), then its exit code.
kubectl run g -it --restart=Never --image=busybox:1.28 -- sh -c 'echo before; sleep 5; echo done'
echo "rc=$?"
kubectl get pod g
kubectl run x --image=nginx -i --pod-running-timeout=0s
echo "rc=$?"
kubectl run x --image=nginx --restart=Bad --pod-running-timeout=-1s
kubectl run x --image=nginx --pod-running-timeout=soon
