# kubectl cp copies a file between this machine and a container.
kubectl run box --image=busybox -- sleep 3600
kubectl wait pod box --for=condition=Ready
echo 'hello from controlplane' > note.txt
kubectl cp note.txt box:/tmp/note.txt
kubectl exec box -- cat /tmp/note.txt
kubectl cp note.txt default/box:/tmp/
kubectl exec box -- ls /tmp
kubectl exec box -- sh -c 'echo made inside > /tmp/out.log'
kubectl cp box:/tmp/out.log ./out.log
cat out.log
kubectl cp box:/etc/hostname /root/
cat /root/hostname
kubectl cp box:/tmp/missing ./missing
kubectl cp note.txt ghost:/tmp/x
kubectl cp nothere.txt box:/tmp/x
kubectl cp note.txt copy.txt
kubectl cp box:/a box:/b
kubectl cp box: ./x
kubectl cp a/b/c:/x ./y
kubectl cp note.txt
