# The subshell ( LIST ) runs in a copy of the shell: cd, variables and exit stay inside. The
# group { LIST; } runs in this shell. Both take the pipe's stdin and their redirections as one
# command, can nest, and can span lines. A function definition can be followed on its line.
(cd /etc/kubernetes && pwd); pwd
X=1; (X=2; echo in $X); echo out $X
{ X=3; }; echo $X
(exit 3); echo "status $?"
{ kubectl get nodes --no-headers | wc -l; kubectl get ns --no-headers | wc -l; } > /root/counts
cat /root/counts
echo hi | (read l; echo "got $l")
(echo a; echo b) | wc -l
{ echo one
echo two; } | sort -r
( for i in 1 2; do (echo "n$i"); done ) 2>&1
echo $((1+2)); ((X++)); echo $X
{ }
echo "(not a subshell)" '{ x; }' {a,b}
f() { echo fn; }; f; echo after
