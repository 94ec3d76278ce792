# History expansion, exit statuses, source and process substitution, complete.
echo -n 'passwd' | base64
!! | base64 --decode
!ec
!-3
!nosuch
history | tail -4
false
echo $?
ssh node01 'exit 4'
echo $?
type -t compopt
source <(kubectl completion bash)
echo $?
complete -p
alias kc=kubectl
complete -o default -F __start_kubectl kc
complete -p kc
cat <(echo from a process substitution)
greet() { echo "hello $1"; }
greet world
if [ -f /etc/kubernetes/admin.conf ]; then echo yes; else echo no; fi
if [[ $(type -t compopt) = "builtin" ]]; then
  echo builtin
fi
echo 'export GREETING=hi' > /root/vars.sh
. /root/vars.sh
echo $GREETING
source /root/missing.sh
# An alias is read again as shell words where the command's name is: it may
# set variables for the command, quote, redirect, and name another alias.
alias ver='ETCDCTL_API=3 printenv ETCDCTL_API'
ver
FOO=1 ver
alias v2=ver
v2
alias quoted='echo "a  b"'
quoted c
alias tofile='echo saved > /tmp/alias.txt'
tofile; cat /tmp/alias.txt
printenv ETCDCTL_API || echo "unset after the command"
alias setx='X=1'
setx
echo "X=$X"
# Process substitution: each <(…) its own descriptor, read after the others
# ran; each one's errors shown once (they doubled from one <(…) to the next).
echo <(missing-a) <(missing-b) <(missing-c)
cat <(echo first) <(echo second)
exit 3
echo not reached
