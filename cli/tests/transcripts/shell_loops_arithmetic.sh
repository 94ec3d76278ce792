# Loops, arithmetic, printf, seq, xargs and read, as learners write them.
for n in $(kubectl get nodes -o name); do kubectl describe $n | grep Taints; done
for i in {1..3}; do echo "try $i"; done
for i in 1 2 3
do
  [ $i -eq 2 ] && continue
  echo "line $i"
done
i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i
echo $((7 * 6)) $((10 / 3)) $((10 % 3))
echo $((1/0))
printf '%-10s|%5d\n' web 80 db 5432
seq 3 | xargs -n 2 echo
kubectl get nodes -o name | xargs -I{} echo node: {}
kubectl get nodes -o name | while read n; do echo "found $n"; done
break
