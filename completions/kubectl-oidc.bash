_kubectl__oidc() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="kubectl__oidc"
                ;;
            kubectl__oidc,clean)
                cmd="kubectl__oidc__subcmd__clean"
                ;;
            kubectl__oidc,completion)
                cmd="kubectl__oidc__subcmd__completion"
                ;;
            kubectl__oidc,debug-token)
                cmd="kubectl__oidc__subcmd__debug__subcmd__token"
                ;;
            kubectl__oidc,doctor)
                cmd="kubectl__oidc__subcmd__debug__subcmd__token"
                ;;
            kubectl__oidc,get-token)
                cmd="kubectl__oidc__subcmd__get__subcmd__token"
                ;;
            kubectl__oidc,help)
                cmd="kubectl__oidc__subcmd__help"
                ;;
            kubectl__oidc,list)
                cmd="kubectl__oidc__subcmd__status"
                ;;
            kubectl__oidc,login)
                cmd="kubectl__oidc__subcmd__login"
                ;;
            kubectl__oidc,logout)
                cmd="kubectl__oidc__subcmd__logout"
                ;;
            kubectl__oidc,setup)
                cmd="kubectl__oidc__subcmd__setup"
                ;;
            kubectl__oidc,status)
                cmd="kubectl__oidc__subcmd__status"
                ;;
            kubectl__oidc,version)
                cmd="kubectl__oidc__subcmd__version"
                ;;
            kubectl__oidc__subcmd__help,clean)
                cmd="kubectl__oidc__subcmd__help__subcmd__clean"
                ;;
            kubectl__oidc__subcmd__help,completion)
                cmd="kubectl__oidc__subcmd__help__subcmd__completion"
                ;;
            kubectl__oidc__subcmd__help,debug-token)
                cmd="kubectl__oidc__subcmd__help__subcmd__debug__subcmd__token"
                ;;
            kubectl__oidc__subcmd__help,get-token)
                cmd="kubectl__oidc__subcmd__help__subcmd__get__subcmd__token"
                ;;
            kubectl__oidc__subcmd__help,help)
                cmd="kubectl__oidc__subcmd__help__subcmd__help"
                ;;
            kubectl__oidc__subcmd__help,login)
                cmd="kubectl__oidc__subcmd__help__subcmd__login"
                ;;
            kubectl__oidc__subcmd__help,logout)
                cmd="kubectl__oidc__subcmd__help__subcmd__logout"
                ;;
            kubectl__oidc__subcmd__help,setup)
                cmd="kubectl__oidc__subcmd__help__subcmd__setup"
                ;;
            kubectl__oidc__subcmd__help,status)
                cmd="kubectl__oidc__subcmd__help__subcmd__status"
                ;;
            kubectl__oidc__subcmd__help,version)
                cmd="kubectl__oidc__subcmd__help__subcmd__version"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        kubectl__oidc)
            opts="-h -V --help --version get-token login debug-token doctor status list logout clean setup version completion help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__clean)
            opts="-h --token-cache-dir --older-than --dry-run --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__completion)
            opts="-h --help bash zsh fish powershell elvish"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__debug__subcmd__token)
            opts="-n -o -v -h --oidc-username-claim --oidc-username-prefix --oidc-groups-claim --oidc-groups-prefix --oidc-required-claim --oidc-signing-algs --oidc-ca-file --authentication-config --service-account-issuer --kube-version --from-cluster --kubeconfig --context --cluster --admin-context --verb --resource --namespace --offline --output --show-token --oidc-issuer-url --oidc-client-id --oidc-extra-scope --oidc-auth-request-extra-params --account --username --oidc-use-access-token --provider --token-cache-dir --token-cache-storage --oidc-client-secret --oidc-client-secret-file --password --password-file --subject-token --subject-token-file --subject-token-type --requested-token-type --oidc-request-header --oidc-pkce-method --oidc-use-pkce --oidc-redirect-url --listen-address --listen-port --oidc-redirect-url-hostname --oidc-redirect-url-authcode-keyboard --browser-command --open-url-after-authentication --local-server-cert --local-server-key --skip-open-browser --browser --notify --authentication-timeout-sec --certificate-authority --certificate-authority-data --insecure-skip-tls-verify --tls-renegotiation-once --tls-renegotiation-freely --http-timeout-sec --force-refresh --grant-type --verbose --v --show-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --oidc-username-claim)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-username-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-groups-claim)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-groups-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-required-claim)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-signing-algs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-ca-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --authentication-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service-account-issuer)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "${cur}"))
                    return 0
                    ;;
                --admin-context)
                    COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "${cur}"))
                    return 0
                    ;;
                --verb)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resource)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --oidc-issuer-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-extra-scope)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-auth-request-extra-params)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --provider)
                    COMPREPLY=($(compgen -W "auto generic cognito entra google okta keycloak dex" -- "${cur}"))
                    return 0
                    ;;
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-cache-storage)
                    COMPREPLY=($(compgen -W "auto keyring disk none" -- "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --requested-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-request-header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-pkce-method)
                    COMPREPLY=($(compgen -W "auto S256 no" -- "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-hostname)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-authcode-keyboard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser-command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --open-url-after-authentication)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --notify)
                    COMPREPLY=($(compgen -W "auto never" -- "${cur}"))
                    return 0
                    ;;
                --authentication-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --http-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-type)
                    COMPREPLY=($(compgen -W "auto authcode authcode-keyboard password device-code client-credentials token-exchange" -- "${cur}"))
                    return 0
                    ;;
                --v)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__get__subcmd__token)
            opts="-v -h --oidc-issuer-url --oidc-client-id --oidc-extra-scope --oidc-auth-request-extra-params --account --username --oidc-use-access-token --provider --token-cache-dir --token-cache-storage --oidc-client-secret --oidc-client-secret-file --password --password-file --subject-token --subject-token-file --subject-token-type --requested-token-type --oidc-request-header --oidc-pkce-method --oidc-use-pkce --oidc-redirect-url --listen-address --listen-port --oidc-redirect-url-hostname --oidc-redirect-url-authcode-keyboard --browser-command --open-url-after-authentication --local-server-cert --local-server-key --skip-open-browser --browser --notify --authentication-timeout-sec --certificate-authority --certificate-authority-data --insecure-skip-tls-verify --tls-renegotiation-once --tls-renegotiation-freely --http-timeout-sec --force-refresh --grant-type --verbose --v --show-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --oidc-issuer-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-extra-scope)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-auth-request-extra-params)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --provider)
                    COMPREPLY=($(compgen -W "auto generic cognito entra google okta keycloak dex" -- "${cur}"))
                    return 0
                    ;;
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-cache-storage)
                    COMPREPLY=($(compgen -W "auto keyring disk none" -- "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --requested-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-request-header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-pkce-method)
                    COMPREPLY=($(compgen -W "auto S256 no" -- "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-hostname)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-authcode-keyboard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser-command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --open-url-after-authentication)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --notify)
                    COMPREPLY=($(compgen -W "auto never" -- "${cur}"))
                    return 0
                    ;;
                --authentication-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --http-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-type)
                    COMPREPLY=($(compgen -W "auto authcode authcode-keyboard password device-code client-credentials token-exchange" -- "${cur}"))
                    return 0
                    ;;
                --v)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help)
            opts="get-token login debug-token status logout clean setup version completion help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__clean)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__completion)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__debug__subcmd__token)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__get__subcmd__token)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__logout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__setup)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__help__subcmd__version)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__login)
            opts="-v -h --context --kubeconfig --oidc-issuer-url --oidc-client-id --oidc-extra-scope --oidc-auth-request-extra-params --account --username --oidc-use-access-token --provider --token-cache-dir --token-cache-storage --oidc-client-secret --oidc-client-secret-file --password --password-file --subject-token --subject-token-file --subject-token-type --requested-token-type --oidc-request-header --oidc-pkce-method --oidc-use-pkce --oidc-redirect-url --listen-address --listen-port --oidc-redirect-url-hostname --oidc-redirect-url-authcode-keyboard --browser-command --open-url-after-authentication --local-server-cert --local-server-key --skip-open-browser --browser --notify --authentication-timeout-sec --certificate-authority --certificate-authority-data --insecure-skip-tls-verify --tls-renegotiation-once --tls-renegotiation-freely --http-timeout-sec --force-refresh --grant-type --verbose --v --show-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-issuer-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-extra-scope)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-auth-request-extra-params)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --provider)
                    COMPREPLY=($(compgen -W "auto generic cognito entra google okta keycloak dex" -- "${cur}"))
                    return 0
                    ;;
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-cache-storage)
                    COMPREPLY=($(compgen -W "auto keyring disk none" -- "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --requested-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-request-header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-pkce-method)
                    COMPREPLY=($(compgen -W "auto S256 no" -- "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-hostname)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-authcode-keyboard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser-command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --open-url-after-authentication)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --notify)
                    COMPREPLY=($(compgen -W "auto never" -- "${cur}"))
                    return 0
                    ;;
                --authentication-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --http-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-type)
                    COMPREPLY=($(compgen -W "auto authcode authcode-keyboard password device-code client-credentials token-exchange" -- "${cur}"))
                    return 0
                    ;;
                --v)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__logout)
            opts="-v -h --end-session --context --kubeconfig --oidc-issuer-url --oidc-client-id --oidc-extra-scope --oidc-auth-request-extra-params --account --username --oidc-use-access-token --provider --token-cache-dir --token-cache-storage --oidc-client-secret --oidc-client-secret-file --password --password-file --subject-token --subject-token-file --subject-token-type --requested-token-type --oidc-request-header --oidc-pkce-method --oidc-use-pkce --oidc-redirect-url --listen-address --listen-port --oidc-redirect-url-hostname --oidc-redirect-url-authcode-keyboard --browser-command --open-url-after-authentication --local-server-cert --local-server-key --skip-open-browser --browser --notify --authentication-timeout-sec --certificate-authority --certificate-authority-data --insecure-skip-tls-verify --tls-renegotiation-once --tls-renegotiation-freely --http-timeout-sec --force-refresh --grant-type --verbose --v --show-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-issuer-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-extra-scope)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-auth-request-extra-params)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --provider)
                    COMPREPLY=($(compgen -W "auto generic cognito entra google okta keycloak dex" -- "${cur}"))
                    return 0
                    ;;
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-cache-storage)
                    COMPREPLY=($(compgen -W "auto keyring disk none" -- "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --requested-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-request-header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-pkce-method)
                    COMPREPLY=($(compgen -W "auto S256 no" -- "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-hostname)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-authcode-keyboard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser-command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --open-url-after-authentication)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --notify)
                    COMPREPLY=($(compgen -W "auto never" -- "${cur}"))
                    return 0
                    ;;
                --authentication-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --http-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-type)
                    COMPREPLY=($(compgen -W "auto authcode authcode-keyboard password device-code client-credentials token-exchange" -- "${cur}"))
                    return 0
                    ;;
                --v)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__setup)
            opts="-v -h --write --kubeconfig --user --force --cluster --server --cluster-certificate-authority --cluster-setting --migrate --dry-run --remove-kubelogin-cache --kuberc-allow --kuberc --oidc-username-claim --oidc-username-prefix --oidc-groups-claim --oidc-groups-prefix --oidc-required-claim --oidc-signing-algs --oidc-ca-file --authentication-config --service-account-issuer --kube-version --oidc-issuer-url --oidc-client-id --oidc-extra-scope --oidc-auth-request-extra-params --account --username --oidc-use-access-token --provider --token-cache-dir --token-cache-storage --oidc-client-secret --oidc-client-secret-file --password --password-file --subject-token --subject-token-file --subject-token-type --requested-token-type --oidc-request-header --oidc-pkce-method --oidc-use-pkce --oidc-redirect-url --listen-address --listen-port --oidc-redirect-url-hostname --oidc-redirect-url-authcode-keyboard --browser-command --open-url-after-authentication --local-server-cert --local-server-key --skip-open-browser --browser --notify --authentication-timeout-sec --certificate-authority --certificate-authority-data --insecure-skip-tls-verify --tls-renegotiation-once --tls-renegotiation-freely --http-timeout-sec --force-refresh --grant-type --verbose --v --show-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -W "$(kubectl config get-users 2>/dev/null | tail -n +2)" -- "${cur}"))
                    return 0
                    ;;
                --cluster)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --server)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cluster-certificate-authority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cluster-setting)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kuberc)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-username-claim)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-username-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-groups-claim)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-groups-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-required-claim)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-signing-algs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-ca-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --authentication-config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service-account-issuer)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-issuer-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-extra-scope)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-auth-request-extra-params)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --account)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --username)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --provider)
                    COMPREPLY=($(compgen -W "auto generic cognito entra google okta keycloak dex" -- "${cur}"))
                    return 0
                    ;;
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-cache-storage)
                    COMPREPLY=($(compgen -W "auto keyring disk none" -- "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-client-secret-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --requested-token-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-request-header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-pkce-method)
                    COMPREPLY=($(compgen -W "auto S256 no" -- "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --listen-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-hostname)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --oidc-redirect-url-authcode-keyboard)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser-command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --open-url-after-authentication)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --local-server-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --browser)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --notify)
                    COMPREPLY=($(compgen -W "auto never" -- "${cur}"))
                    return 0
                    ;;
                --authentication-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --certificate-authority-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --http-timeout-sec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --grant-type)
                    COMPREPLY=($(compgen -W "auto authcode authcode-keyboard password device-code client-credentials token-exchange" -- "${cur}"))
                    return 0
                    ;;
                --v)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__status)
            opts="-o -h --token-cache-dir --output --context --kubeconfig --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token-cache-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__oidc__subcmd__version)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _kubectl__oidc -o nosort -o bashdefault -o default kubectl-oidc
else
    complete -F _kubectl__oidc -o bashdefault -o default kubectl-oidc
fi
