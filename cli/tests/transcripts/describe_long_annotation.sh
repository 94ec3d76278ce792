# describe shortens a long annotation line to 138 bytes and "...", as
# kubectl's shorten does; a line of Korean text must not be cut inside a
# character (the fuzzer found the panic: a multibyte character across byte 138).
kubectl create deployment web --image=nginx
kubectl annotate deployment web note=a가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차가나다라마바사아자차
kubectl annotate deployment web ascii=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
kubectl describe deployment web | grep -A2 -E '^Annotations|^ +(note|ascii):'
