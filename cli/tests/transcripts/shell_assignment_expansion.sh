# Assignments are expanded without word splitting or globbing, before a
# command and as export's arguments: A=$(cmd) keeps the output's spaces.
A=$(echo a b)
echo "[$A]"
B=$(printf "%s  %s" x y) C=2
echo "$B|$C"
export D=$(echo 1 2) E=~/x F="q r"'s t'
echo "$D|$E|$F"
G=*
echo "$G"
POD=$(kubectl get nodes -o jsonpath='{.items[*].metadata.name}')
echo "$POD"
# An unquoted expansion elsewhere is still split into words.
echo $(echo a  b)
H=a b
