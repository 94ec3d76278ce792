# bash's $'…' quoting: backslash escapes read (named, octal, hex, \u, \c),
# an escaped quote inside, a NUL ending the string. Go's encoding/json (as
# kubectl v1.33 prints) names \b and \f and escapes <, > and & (checked
# against kubectl.1.33 --dry-run=client).
echo $'it\'s' $'\x41\u00e9\101' "$'not in double quotes'"
echo $'a\0b' x
printf '[%s]\n' $'tab\there' $'two\nlines'
kubectl create configmap x --from-literal=a=$'\b\f<\x01' --dry-run=client -o json
kubectl create configmap x --from-literal=a=$'\b\f<\x01' --dry-run=client -o jsonpath='{.data}'
echo
# Inside $(…) the closing parenthesis is found as bash finds it: not in
# quotes, $'…' (where \' does not end it), nor after a backslash; a $(…)
# inside double quotes nests.
echo $(echo $'it\'s')
echo $(echo "a\"b)")
echo $(echo a\)b)
echo "$(echo 'x)')"
echo "$(echo "$(echo ")")")"
for w in $(echo "one)" 'two)'); do echo "[$w]"; done
