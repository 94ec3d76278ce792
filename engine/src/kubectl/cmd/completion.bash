# bash completion V2 for kubectl                              -*- shell-script -*-
#
# Dinghy's kubectl. Its terminal completes kubectl itself, for every name
# registered with `complete -F __start_kubectl NAME`; in a real bash these
# functions ask `kubectl __complete` for the candidates of the word under
# the cursor, as kubectl's own script does.

__kubectl_debug()
{
    if [[ -n ${BASH_COMP_DEBUG_FILE-} ]]; then
        echo "$*" >> "${BASH_COMP_DEBUG_FILE}"
    fi
}

# Asks kubectl for the candidates; the last line of its answer is
# `:DIRECTIVE` (a bit set: 1 error, 2 no space, 4 no file completion).
__kubectl_get_completion_results()
{
    local request last
    request="${words[0]} __complete ${words[*]:1:cword}"
    last=${words[cword]}
    if [[ -z ${cur} && ${last: -1} != = ]]; then
        request="${request} ''"
    fi
    __kubectl_debug "request: ${request}"
    out=$(eval "${request}" 2>/dev/null)
    directive=${out##*:}
    out=${out%:*}
    if [[ ${directive} == "${out}" || ! ${directive} =~ ^[0-9]+$ ]]; then
        directive=0
    fi
    # Candidates come as `name<TAB>description`: keep the names.
    out=$(printf '%s\n' "${out}" | cut -f1)
    __kubectl_debug "directive: ${directive}"
}

__start_kubectl()
{
    local cur prev words cword
    COMPREPLY=()
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n =: || return
    else
        words=("${COMP_WORDS[@]}")
        cword=${COMP_CWORD}
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
    fi
    local out directive
    __kubectl_get_completion_results
    if (( directive & 1 )); then
        return
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "${out}" -- "${cur}"))
    if (( directive & 2 )); then
        compopt -o nospace 2>/dev/null
    fi
    if (( directive & 4 )) || (( ${#COMPREPLY[@]} > 0 )); then
        compopt +o default 2>/dev/null
    fi
}

if [[ $(type -t compopt) = "builtin" ]]; then
    complete -o default -F __start_kubectl kubectl
else
    complete -o default -o nospace -F __start_kubectl kubectl
fi

# ex: ts=4 sw=4 et filetype=sh
