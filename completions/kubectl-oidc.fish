# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_oidc_global_optspecs
    string join \n h/help V/version
end

function __fish_kubectl_oidc_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_oidc_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_oidc_using_subcommand
    set -l cmd (__fish_kubectl_oidc_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "get-token" -d 'Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "login" -d 'Log in in the browser now, even if a cached token is still valid'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "debug-token" -d 'Explain, as the API server would, who a token makes you and why RBAC does not match'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "doctor" -d 'Explain, as the API server would, who a token makes you and why RBAC does not match'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "status" -d 'List the cached sessions: issuer, client, account, who, expiry, refresh token, store'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "list" -d 'List the cached sessions: issuer, client, account, who, expiry, refresh token, store'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "logout" -d 'Log out: revoke the refresh token at the provider, remove the session everywhere'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "clean" -d 'Remove every cached session, or only those unused for a while'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "setup" -d 'Onboard: log in, show who the API server will see, write the kubeconfig user entry'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "version" -d 'Print the version, commit, target and the keyring backend compiled in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "completion" -d 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-issuer-url -d 'Issuer URL of the OpenID provider, exactly as the API server\'s --oidc-issuer-url' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-client-id -d 'Client ID registered at the provider' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-extra-scope -d 'Extra scope to request (repeatable; `openid` is always requested)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-auth-request-extra-params -d 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l account -d 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l username -d 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l provider -d 'The provider\'s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set' -r -f -a "auto\t'Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic'
generic\t'No preset'
cognito\t'Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI'
entra\t'Microsoft Entra ID: offline_access, PKCE S256'
google\t'Google: access_type=offline and prompt=consent, for a refresh token'
okta\t'Okta: offline_access'
keycloak\t'Keycloak: nothing beyond the standard'
dex\t'Dex: offline_access and groups'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l token-cache-storage -d 'Where tokens are kept (see the README for the trade-offs)' -r -f -a "auto\t'Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one'
keyring\t'Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring'
disk\t'Plain 0600 files, like kubelogin\'s default'
none\t'Keep nothing: every call logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-client-secret -d 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-client-secret-file -d 'Read the client secret from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l password -d 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l password-file -d 'Read the password from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l subject-token -d '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l subject-token-file -d '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job\'s OIDC token)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l subject-token-type -d '--grant-type=token-exchange: the subject token\'s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l requested-token-type -d '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-request-header -d 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-pkce-method -d 'PKCE: auto uses S256 when the provider advertises it' -r -f -a "auto\t'S256 when the provider advertises it in code_challenge_methods_supported'
S256\t''
no\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-redirect-url -d 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l listen-address -d 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l listen-port -d 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-redirect-url-hostname -d 'Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from kubelogin keep the redirect URIs registered for it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-redirect-url-authcode-keyboard -d 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l browser-command -d 'Command that opens the login URL, with arguments; the URL is appended' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l open-url-after-authentication -d 'After the browser login, send the browser on to this URL (a team\'s landing page, say) instead of showing "Logged in"' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l local-server-cert -d 'Serve the login callback over HTTPS with this PEM certificate (chain), for providers that accept only https redirect URIs; with --local-server-key' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l local-server-key -d 'The PEM private key of --local-server-cert' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l browser -d 'When a login opens the browser: auto (from a terminal; without one, as for an IDE or Lens, once per session on a desktop, never in CI or over SSH), always, never' -r -f -a "auto\t'From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and only on a desktop: not in CI, not over SSH'
always\t'Also without a terminal, wherever it runs (once per session still)'
never\t'Never: the login URL is printed (as --skip-open-browser), and a call without a terminal fails at once with the command that logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l notify -d 'A desktop notification when a call without a terminal opens the browser: auto (where the desktop has a notification service), never' -r -f -a "auto\t'When a call without a terminal opens the browser (once per such login), where the desktop has a notification service'
never\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l authentication-timeout-sec -d 'How long to wait for the browser login (at most a day)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l certificate-authority -d 'PEM file with CA certificates to trust for the provider (repeatable)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l certificate-authority-data -d 'Base64 of PEM CA certificates to trust for the provider (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l http-timeout-sec -d 'Connect and overall timeout of every request to the provider (at most an hour)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l grant-type -d 'How to log in' -r -f -a "auto\t'The browser flow, or the password grant with --username; without a browser here, the device flow (or the pasted code)'
authcode\t'The browser flow (authorization code + PKCE through a loopback listener)'
authcode-keyboard\t'Print the login URL and read the code (or the URL the browser ended at) from the terminal: for jump hosts whose browser cannot reach a listener here'
password\t'The resource owner password grant (ROPC), for CI and legacy providers: --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal'
device-code\t'The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and containers'
client-credentials\t'The client credentials grant, for CI: the client\'s own token (client secret needed; usually an access token only, so with --oidc-use-access-token)'
token-exchange\t'Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l v -d 'kubelogin\'s log level (`--v=1`), taken as that many -v' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-use-access-token -d 'Give kubectl the access token instead of the id_token, for clusters that validate the provider\'s JWT access tokens (its signature and issuer are checked, not its audience)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l oidc-use-pkce -d 'Deprecated kubelogin alias of --oidc-pkce-method=S256'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l skip-open-browser -d 'Do not open a browser; only print the login URL (as --browser=never)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l insecure-skip-tls-verify -d 'Do not verify the provider\'s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l tls-renegotiation-once -d 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l tls-renegotiation-freely -d 'Like --tls-renegotiation-once'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l force-refresh -d 'Ignore a cached id_token that is still valid and refresh it'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -s v -l verbose -d 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -l show-config -d 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand get-token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l context -d 'The kubeconfig context whose exec entry gives the flags [default: the current context, when no --oidc-issuer-url is given]' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l kubeconfig -d 'The kubeconfig to read [default: $KUBECONFIG, all its files, else ~/.kube/config]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-issuer-url -d 'Issuer URL of the OpenID provider, exactly as the API server\'s --oidc-issuer-url' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-client-id -d 'Client ID registered at the provider' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-extra-scope -d 'Extra scope to request (repeatable; `openid` is always requested)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-auth-request-extra-params -d 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l account -d 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l username -d 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l provider -d 'The provider\'s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set' -r -f -a "auto\t'Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic'
generic\t'No preset'
cognito\t'Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI'
entra\t'Microsoft Entra ID: offline_access, PKCE S256'
google\t'Google: access_type=offline and prompt=consent, for a refresh token'
okta\t'Okta: offline_access'
keycloak\t'Keycloak: nothing beyond the standard'
dex\t'Dex: offline_access and groups'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l token-cache-storage -d 'Where tokens are kept (see the README for the trade-offs)' -r -f -a "auto\t'Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one'
keyring\t'Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring'
disk\t'Plain 0600 files, like kubelogin\'s default'
none\t'Keep nothing: every call logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-client-secret -d 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-client-secret-file -d 'Read the client secret from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l password -d 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l password-file -d 'Read the password from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l subject-token -d '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l subject-token-file -d '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job\'s OIDC token)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l subject-token-type -d '--grant-type=token-exchange: the subject token\'s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l requested-token-type -d '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-request-header -d 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-pkce-method -d 'PKCE: auto uses S256 when the provider advertises it' -r -f -a "auto\t'S256 when the provider advertises it in code_challenge_methods_supported'
S256\t''
no\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-redirect-url -d 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l listen-address -d 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l listen-port -d 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-redirect-url-hostname -d 'Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from kubelogin keep the redirect URIs registered for it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-redirect-url-authcode-keyboard -d 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l browser-command -d 'Command that opens the login URL, with arguments; the URL is appended' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l open-url-after-authentication -d 'After the browser login, send the browser on to this URL (a team\'s landing page, say) instead of showing "Logged in"' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l local-server-cert -d 'Serve the login callback over HTTPS with this PEM certificate (chain), for providers that accept only https redirect URIs; with --local-server-key' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l local-server-key -d 'The PEM private key of --local-server-cert' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l browser -d 'When a login opens the browser: auto (from a terminal; without one, as for an IDE or Lens, once per session on a desktop, never in CI or over SSH), always, never' -r -f -a "auto\t'From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and only on a desktop: not in CI, not over SSH'
always\t'Also without a terminal, wherever it runs (once per session still)'
never\t'Never: the login URL is printed (as --skip-open-browser), and a call without a terminal fails at once with the command that logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l notify -d 'A desktop notification when a call without a terminal opens the browser: auto (where the desktop has a notification service), never' -r -f -a "auto\t'When a call without a terminal opens the browser (once per such login), where the desktop has a notification service'
never\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l authentication-timeout-sec -d 'How long to wait for the browser login (at most a day)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l certificate-authority -d 'PEM file with CA certificates to trust for the provider (repeatable)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l certificate-authority-data -d 'Base64 of PEM CA certificates to trust for the provider (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l http-timeout-sec -d 'Connect and overall timeout of every request to the provider (at most an hour)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l grant-type -d 'How to log in' -r -f -a "auto\t'The browser flow, or the password grant with --username; without a browser here, the device flow (or the pasted code)'
authcode\t'The browser flow (authorization code + PKCE through a loopback listener)'
authcode-keyboard\t'Print the login URL and read the code (or the URL the browser ended at) from the terminal: for jump hosts whose browser cannot reach a listener here'
password\t'The resource owner password grant (ROPC), for CI and legacy providers: --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal'
device-code\t'The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and containers'
client-credentials\t'The client credentials grant, for CI: the client\'s own token (client secret needed; usually an access token only, so with --oidc-use-access-token)'
token-exchange\t'Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l v -d 'kubelogin\'s log level (`--v=1`), taken as that many -v' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-use-access-token -d 'Give kubectl the access token instead of the id_token, for clusters that validate the provider\'s JWT access tokens (its signature and issuer are checked, not its audience)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l oidc-use-pkce -d 'Deprecated kubelogin alias of --oidc-pkce-method=S256'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l skip-open-browser -d 'Do not open a browser; only print the login URL (as --browser=never)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l insecure-skip-tls-verify -d 'Do not verify the provider\'s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l tls-renegotiation-once -d 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l tls-renegotiation-freely -d 'Like --tls-renegotiation-once'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l force-refresh -d 'Ignore a cached id_token that is still valid and refresh it'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -s v -l verbose -d 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -l show-config -d 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-username-claim -d 'Username claim, as kube-apiserver --oidc-username-claim' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-username-prefix -d 'Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-groups-claim -d 'Groups claim, as kube-apiserver --oidc-groups-claim' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-groups-prefix -d 'Groups prefix, as kube-apiserver --oidc-groups-prefix' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-required-claim -d 'Required claim, as kube-apiserver --oidc-required-claim (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-signing-algs -d 'Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-ca-file -d 'CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l authentication-config -d 'An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l service-account-issuer -d 'An issuer of the API server\'s service account tokens, as kube-apiserver --service-account-issuer (repeatable): no JWT authenticator may have it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l kube-version -d 'The kube-apiserver release to judge the configuration as (1.29 to 1.37): its API versions, validation rules and CEL libraries [default: 1.37]' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l kubeconfig -d 'Kubeconfig to read the context\'s exec entry and cluster from' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l context -d 'Context whose exec entry selects the token and whose cluster is asked (SelfSubjectReview)' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l admin-context -d 'Context with permission to list RBAC bindings (default: --context)' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l verb -d 'Verb for a SelfSubjectAccessReview (with --resource)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l resource -d 'Resource for a SelfSubjectAccessReview, e.g. pods or deployments.apps' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -s n -l namespace -d 'Namespace for a SelfSubjectAccessReview' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-issuer-url -d 'Issuer URL of the OpenID provider, exactly as the API server\'s --oidc-issuer-url' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-client-id -d 'Client ID registered at the provider' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-extra-scope -d 'Extra scope to request (repeatable; `openid` is always requested)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-auth-request-extra-params -d 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l account -d 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l username -d 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l provider -d 'The provider\'s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set' -r -f -a "auto\t'Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic'
generic\t'No preset'
cognito\t'Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI'
entra\t'Microsoft Entra ID: offline_access, PKCE S256'
google\t'Google: access_type=offline and prompt=consent, for a refresh token'
okta\t'Okta: offline_access'
keycloak\t'Keycloak: nothing beyond the standard'
dex\t'Dex: offline_access and groups'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l token-cache-storage -d 'Where tokens are kept (see the README for the trade-offs)' -r -f -a "auto\t'Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one'
keyring\t'Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring'
disk\t'Plain 0600 files, like kubelogin\'s default'
none\t'Keep nothing: every call logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-client-secret -d 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-client-secret-file -d 'Read the client secret from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l password -d 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l password-file -d 'Read the password from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l subject-token -d '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l subject-token-file -d '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job\'s OIDC token)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l subject-token-type -d '--grant-type=token-exchange: the subject token\'s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l requested-token-type -d '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-request-header -d 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-pkce-method -d 'PKCE: auto uses S256 when the provider advertises it' -r -f -a "auto\t'S256 when the provider advertises it in code_challenge_methods_supported'
S256\t''
no\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-redirect-url -d 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l listen-address -d 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l listen-port -d 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-redirect-url-hostname -d 'Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from kubelogin keep the redirect URIs registered for it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-redirect-url-authcode-keyboard -d 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l browser-command -d 'Command that opens the login URL, with arguments; the URL is appended' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l open-url-after-authentication -d 'After the browser login, send the browser on to this URL (a team\'s landing page, say) instead of showing "Logged in"' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l local-server-cert -d 'Serve the login callback over HTTPS with this PEM certificate (chain), for providers that accept only https redirect URIs; with --local-server-key' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l local-server-key -d 'The PEM private key of --local-server-cert' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l browser -d 'When a login opens the browser: auto (from a terminal; without one, as for an IDE or Lens, once per session on a desktop, never in CI or over SSH), always, never' -r -f -a "auto\t'From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and only on a desktop: not in CI, not over SSH'
always\t'Also without a terminal, wherever it runs (once per session still)'
never\t'Never: the login URL is printed (as --skip-open-browser), and a call without a terminal fails at once with the command that logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l notify -d 'A desktop notification when a call without a terminal opens the browser: auto (where the desktop has a notification service), never' -r -f -a "auto\t'When a call without a terminal opens the browser (once per such login), where the desktop has a notification service'
never\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l authentication-timeout-sec -d 'How long to wait for the browser login (at most a day)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l certificate-authority -d 'PEM file with CA certificates to trust for the provider (repeatable)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l certificate-authority-data -d 'Base64 of PEM CA certificates to trust for the provider (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l http-timeout-sec -d 'Connect and overall timeout of every request to the provider (at most an hour)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l grant-type -d 'How to log in' -r -f -a "auto\t'The browser flow, or the password grant with --username; without a browser here, the device flow (or the pasted code)'
authcode\t'The browser flow (authorization code + PKCE through a loopback listener)'
authcode-keyboard\t'Print the login URL and read the code (or the URL the browser ended at) from the terminal: for jump hosts whose browser cannot reach a listener here'
password\t'The resource owner password grant (ROPC), for CI and legacy providers: --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal'
device-code\t'The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and containers'
client-credentials\t'The client credentials grant, for CI: the client\'s own token (client secret needed; usually an access token only, so with --oidc-use-access-token)'
token-exchange\t'Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l v -d 'kubelogin\'s log level (`--v=1`), taken as that many -v' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l from-cluster -d 'Read the API server\'s OIDC configuration from the kube-apiserver pod in kube-system'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l cluster -d 'Ask the cluster of the current context even without --context'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l offline -d 'Do not fetch discovery/JWKS or ask the cluster; the signature is then unchecked'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l show-token -d 'Also print the raw token and its signature'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-use-access-token -d 'Give kubectl the access token instead of the id_token, for clusters that validate the provider\'s JWT access tokens (its signature and issuer are checked, not its audience)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l oidc-use-pkce -d 'Deprecated kubelogin alias of --oidc-pkce-method=S256'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l skip-open-browser -d 'Do not open a browser; only print the login URL (as --browser=never)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l insecure-skip-tls-verify -d 'Do not verify the provider\'s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l tls-renegotiation-once -d 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l tls-renegotiation-freely -d 'Like --tls-renegotiation-once'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l force-refresh -d 'Ignore a cached id_token that is still valid and refresh it'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -s v -l verbose -d 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -l show-config -d 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand debug-token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-username-claim -d 'Username claim, as kube-apiserver --oidc-username-claim' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-username-prefix -d 'Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-groups-claim -d 'Groups claim, as kube-apiserver --oidc-groups-claim' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-groups-prefix -d 'Groups prefix, as kube-apiserver --oidc-groups-prefix' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-required-claim -d 'Required claim, as kube-apiserver --oidc-required-claim (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-signing-algs -d 'Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-ca-file -d 'CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l authentication-config -d 'An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l service-account-issuer -d 'An issuer of the API server\'s service account tokens, as kube-apiserver --service-account-issuer (repeatable): no JWT authenticator may have it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l kube-version -d 'The kube-apiserver release to judge the configuration as (1.29 to 1.37): its API versions, validation rules and CEL libraries [default: 1.37]' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l kubeconfig -d 'Kubeconfig to read the context\'s exec entry and cluster from' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l context -d 'Context whose exec entry selects the token and whose cluster is asked (SelfSubjectReview)' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l admin-context -d 'Context with permission to list RBAC bindings (default: --context)' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l verb -d 'Verb for a SelfSubjectAccessReview (with --resource)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l resource -d 'Resource for a SelfSubjectAccessReview, e.g. pods or deployments.apps' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -s n -l namespace -d 'Namespace for a SelfSubjectAccessReview' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-issuer-url -d 'Issuer URL of the OpenID provider, exactly as the API server\'s --oidc-issuer-url' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-client-id -d 'Client ID registered at the provider' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-extra-scope -d 'Extra scope to request (repeatable; `openid` is always requested)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-auth-request-extra-params -d 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l account -d 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l username -d 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l provider -d 'The provider\'s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set' -r -f -a "auto\t'Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic'
generic\t'No preset'
cognito\t'Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI'
entra\t'Microsoft Entra ID: offline_access, PKCE S256'
google\t'Google: access_type=offline and prompt=consent, for a refresh token'
okta\t'Okta: offline_access'
keycloak\t'Keycloak: nothing beyond the standard'
dex\t'Dex: offline_access and groups'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l token-cache-storage -d 'Where tokens are kept (see the README for the trade-offs)' -r -f -a "auto\t'Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one'
keyring\t'Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring'
disk\t'Plain 0600 files, like kubelogin\'s default'
none\t'Keep nothing: every call logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-client-secret -d 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-client-secret-file -d 'Read the client secret from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l password -d 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l password-file -d 'Read the password from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l subject-token -d '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l subject-token-file -d '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job\'s OIDC token)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l subject-token-type -d '--grant-type=token-exchange: the subject token\'s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l requested-token-type -d '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-request-header -d 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-pkce-method -d 'PKCE: auto uses S256 when the provider advertises it' -r -f -a "auto\t'S256 when the provider advertises it in code_challenge_methods_supported'
S256\t''
no\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-redirect-url -d 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l listen-address -d 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l listen-port -d 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-redirect-url-hostname -d 'Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from kubelogin keep the redirect URIs registered for it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-redirect-url-authcode-keyboard -d 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l browser-command -d 'Command that opens the login URL, with arguments; the URL is appended' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l open-url-after-authentication -d 'After the browser login, send the browser on to this URL (a team\'s landing page, say) instead of showing "Logged in"' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l local-server-cert -d 'Serve the login callback over HTTPS with this PEM certificate (chain), for providers that accept only https redirect URIs; with --local-server-key' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l local-server-key -d 'The PEM private key of --local-server-cert' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l browser -d 'When a login opens the browser: auto (from a terminal; without one, as for an IDE or Lens, once per session on a desktop, never in CI or over SSH), always, never' -r -f -a "auto\t'From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and only on a desktop: not in CI, not over SSH'
always\t'Also without a terminal, wherever it runs (once per session still)'
never\t'Never: the login URL is printed (as --skip-open-browser), and a call without a terminal fails at once with the command that logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l notify -d 'A desktop notification when a call without a terminal opens the browser: auto (where the desktop has a notification service), never' -r -f -a "auto\t'When a call without a terminal opens the browser (once per such login), where the desktop has a notification service'
never\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l authentication-timeout-sec -d 'How long to wait for the browser login (at most a day)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l certificate-authority -d 'PEM file with CA certificates to trust for the provider (repeatable)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l certificate-authority-data -d 'Base64 of PEM CA certificates to trust for the provider (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l http-timeout-sec -d 'Connect and overall timeout of every request to the provider (at most an hour)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l grant-type -d 'How to log in' -r -f -a "auto\t'The browser flow, or the password grant with --username; without a browser here, the device flow (or the pasted code)'
authcode\t'The browser flow (authorization code + PKCE through a loopback listener)'
authcode-keyboard\t'Print the login URL and read the code (or the URL the browser ended at) from the terminal: for jump hosts whose browser cannot reach a listener here'
password\t'The resource owner password grant (ROPC), for CI and legacy providers: --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal'
device-code\t'The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and containers'
client-credentials\t'The client credentials grant, for CI: the client\'s own token (client secret needed; usually an access token only, so with --oidc-use-access-token)'
token-exchange\t'Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l v -d 'kubelogin\'s log level (`--v=1`), taken as that many -v' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l from-cluster -d 'Read the API server\'s OIDC configuration from the kube-apiserver pod in kube-system'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l cluster -d 'Ask the cluster of the current context even without --context'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l offline -d 'Do not fetch discovery/JWKS or ask the cluster; the signature is then unchecked'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l show-token -d 'Also print the raw token and its signature'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-use-access-token -d 'Give kubectl the access token instead of the id_token, for clusters that validate the provider\'s JWT access tokens (its signature and issuer are checked, not its audience)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l oidc-use-pkce -d 'Deprecated kubelogin alias of --oidc-pkce-method=S256'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l skip-open-browser -d 'Do not open a browser; only print the login URL (as --browser=never)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l insecure-skip-tls-verify -d 'Do not verify the provider\'s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l tls-renegotiation-once -d 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l tls-renegotiation-freely -d 'Like --tls-renegotiation-once'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l force-refresh -d 'Ignore a cached id_token that is still valid and refresh it'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -s v -l verbose -d 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -l show-config -d 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand status" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand status" -l context -d 'Only the session that this kubeconfig context\'s exec entry uses' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand status" -l kubeconfig -d 'The kubeconfig whose contexts are named [default: $KUBECONFIG, all its files, else ~/.kube/config]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand status" -s h -l help -d 'Print help'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand list" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand list" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand list" -l context -d 'Only the session that this kubeconfig context\'s exec entry uses' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand list" -l kubeconfig -d 'The kubeconfig whose contexts are named [default: $KUBECONFIG, all its files, else ~/.kube/config]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand list" -s h -l help -d 'Print help'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l context -d 'The kubeconfig context whose exec entry gives the flags [default: the current context, when no --oidc-issuer-url is given]' -r -f -a "(kubectl config get-contexts -o name 2>/dev/null)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l kubeconfig -d 'The kubeconfig to read [default: $KUBECONFIG, all its files, else ~/.kube/config]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-issuer-url -d 'Issuer URL of the OpenID provider, exactly as the API server\'s --oidc-issuer-url' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-client-id -d 'Client ID registered at the provider' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-extra-scope -d 'Extra scope to request (repeatable; `openid` is always requested)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-auth-request-extra-params -d 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l account -d 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l username -d 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l provider -d 'The provider\'s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set' -r -f -a "auto\t'Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic'
generic\t'No preset'
cognito\t'Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI'
entra\t'Microsoft Entra ID: offline_access, PKCE S256'
google\t'Google: access_type=offline and prompt=consent, for a refresh token'
okta\t'Okta: offline_access'
keycloak\t'Keycloak: nothing beyond the standard'
dex\t'Dex: offline_access and groups'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l token-cache-storage -d 'Where tokens are kept (see the README for the trade-offs)' -r -f -a "auto\t'Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one'
keyring\t'Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring'
disk\t'Plain 0600 files, like kubelogin\'s default'
none\t'Keep nothing: every call logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-client-secret -d 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-client-secret-file -d 'Read the client secret from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l password -d 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l password-file -d 'Read the password from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l subject-token -d '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l subject-token-file -d '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job\'s OIDC token)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l subject-token-type -d '--grant-type=token-exchange: the subject token\'s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l requested-token-type -d '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-request-header -d 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-pkce-method -d 'PKCE: auto uses S256 when the provider advertises it' -r -f -a "auto\t'S256 when the provider advertises it in code_challenge_methods_supported'
S256\t''
no\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-redirect-url -d 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l listen-address -d 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l listen-port -d 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-redirect-url-hostname -d 'Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from kubelogin keep the redirect URIs registered for it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-redirect-url-authcode-keyboard -d 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l browser-command -d 'Command that opens the login URL, with arguments; the URL is appended' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l open-url-after-authentication -d 'After the browser login, send the browser on to this URL (a team\'s landing page, say) instead of showing "Logged in"' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l local-server-cert -d 'Serve the login callback over HTTPS with this PEM certificate (chain), for providers that accept only https redirect URIs; with --local-server-key' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l local-server-key -d 'The PEM private key of --local-server-cert' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l browser -d 'When a login opens the browser: auto (from a terminal; without one, as for an IDE or Lens, once per session on a desktop, never in CI or over SSH), always, never' -r -f -a "auto\t'From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and only on a desktop: not in CI, not over SSH'
always\t'Also without a terminal, wherever it runs (once per session still)'
never\t'Never: the login URL is printed (as --skip-open-browser), and a call without a terminal fails at once with the command that logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l notify -d 'A desktop notification when a call without a terminal opens the browser: auto (where the desktop has a notification service), never' -r -f -a "auto\t'When a call without a terminal opens the browser (once per such login), where the desktop has a notification service'
never\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l authentication-timeout-sec -d 'How long to wait for the browser login (at most a day)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l certificate-authority -d 'PEM file with CA certificates to trust for the provider (repeatable)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l certificate-authority-data -d 'Base64 of PEM CA certificates to trust for the provider (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l http-timeout-sec -d 'Connect and overall timeout of every request to the provider (at most an hour)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l grant-type -d 'How to log in' -r -f -a "auto\t'The browser flow, or the password grant with --username; without a browser here, the device flow (or the pasted code)'
authcode\t'The browser flow (authorization code + PKCE through a loopback listener)'
authcode-keyboard\t'Print the login URL and read the code (or the URL the browser ended at) from the terminal: for jump hosts whose browser cannot reach a listener here'
password\t'The resource owner password grant (ROPC), for CI and legacy providers: --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal'
device-code\t'The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and containers'
client-credentials\t'The client credentials grant, for CI: the client\'s own token (client secret needed; usually an access token only, so with --oidc-use-access-token)'
token-exchange\t'Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l v -d 'kubelogin\'s log level (`--v=1`), taken as that many -v' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l end-session -d 'Also open the provider\'s end_session_endpoint in the browser (RP-initiated logout)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-use-access-token -d 'Give kubectl the access token instead of the id_token, for clusters that validate the provider\'s JWT access tokens (its signature and issuer are checked, not its audience)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l oidc-use-pkce -d 'Deprecated kubelogin alias of --oidc-pkce-method=S256'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l skip-open-browser -d 'Do not open a browser; only print the login URL (as --browser=never)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l insecure-skip-tls-verify -d 'Do not verify the provider\'s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l tls-renegotiation-once -d 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l tls-renegotiation-freely -d 'Like --tls-renegotiation-once'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l force-refresh -d 'Ignore a cached id_token that is still valid and refresh it'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -s v -l verbose -d 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -l show-config -d 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand clean" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand clean" -l older-than -d 'Only sessions not refreshed for this long: 30d, 12h, 90m, 45s' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand clean" -l dry-run -d 'Say what would be removed, remove nothing'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand clean" -s h -l help -d 'Print help'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l kubeconfig -d 'The kubeconfig to write [default: the first file of $KUBECONFIG, else ~/.kube/config]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l user -d 'Name of the kubeconfig user entry' -r -f -a "(kubectl config get-users 2>/dev/null | tail -n +2)"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l cluster -d 'Also add a cluster of this name, and a context of the same name for it and the user' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l server -d 'The cluster\'s API server URL (with --cluster)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l cluster-certificate-authority -d 'The cluster\'s CA file, embedded into the kubeconfig (with --cluster)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l cluster-setting -d 'What this cluster chooses for the shared user entry: oidc-client-id=ID, oidc-extra-scope=SCOPE or oidc-auth-request-extra-params=KEY=VALUE (repeatable; with --cluster and --write). Written into the cluster\'s client.authentication.k8s.io/exec extension; the user entry gets provideClusterInfo: true' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l kuberc -d 'The kuberc kubectl reads [default: $KUBERC, else ~/.kube/kuberc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-username-claim -d 'Username claim, as kube-apiserver --oidc-username-claim' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-username-prefix -d 'Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-groups-claim -d 'Groups claim, as kube-apiserver --oidc-groups-claim' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-groups-prefix -d 'Groups prefix, as kube-apiserver --oidc-groups-prefix' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-required-claim -d 'Required claim, as kube-apiserver --oidc-required-claim (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-signing-algs -d 'Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-ca-file -d 'CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l authentication-config -d 'An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l service-account-issuer -d 'An issuer of the API server\'s service account tokens, as kube-apiserver --service-account-issuer (repeatable): no JWT authenticator may have it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l kube-version -d 'The kube-apiserver release to judge the configuration as (1.29 to 1.37): its API versions, validation rules and CEL libraries [default: 1.37]' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-issuer-url -d 'Issuer URL of the OpenID provider, exactly as the API server\'s --oidc-issuer-url' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-client-id -d 'Client ID registered at the provider' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-extra-scope -d 'Extra scope to request (repeatable; `openid` is always requested)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-auth-request-extra-params -d 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l account -d 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l username -d 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l provider -d 'The provider\'s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set' -r -f -a "auto\t'Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic'
generic\t'No preset'
cognito\t'Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI'
entra\t'Microsoft Entra ID: offline_access, PKCE S256'
google\t'Google: access_type=offline and prompt=consent, for a refresh token'
okta\t'Okta: offline_access'
keycloak\t'Keycloak: nothing beyond the standard'
dex\t'Dex: offline_access and groups'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l token-cache-dir -d 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l token-cache-storage -d 'Where tokens are kept (see the README for the trade-offs)' -r -f -a "auto\t'Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one'
keyring\t'Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring'
disk\t'Plain 0600 files, like kubelogin\'s default'
none\t'Keep nothing: every call logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-client-secret -d 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-client-secret-file -d 'Read the client secret from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l password -d 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l password-file -d 'Read the password from this file (trailing newline ignored)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l subject-token -d '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l subject-token-file -d '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job\'s OIDC token)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l subject-token-type -d '--grant-type=token-exchange: the subject token\'s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l requested-token-type -d '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-request-header -d 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-pkce-method -d 'PKCE: auto uses S256 when the provider advertises it' -r -f -a "auto\t'S256 when the provider advertises it in code_challenge_methods_supported'
S256\t''
no\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-redirect-url -d 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l listen-address -d 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l listen-port -d 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-redirect-url-hostname -d 'Redirect to http://HOST:PORT (no path, the port the listener got) as kubelogin does (it uses localhost), instead of http://127.0.0.1:PORT/callback: entries moved from kubelogin keep the redirect URIs registered for it' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-redirect-url-authcode-keyboard -d 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l browser-command -d 'Command that opens the login URL, with arguments; the URL is appended' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l open-url-after-authentication -d 'After the browser login, send the browser on to this URL (a team\'s landing page, say) instead of showing "Logged in"' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l local-server-cert -d 'Serve the login callback over HTTPS with this PEM certificate (chain), for providers that accept only https redirect URIs; with --local-server-key' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l local-server-key -d 'The PEM private key of --local-server-cert' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l browser -d 'When a login opens the browser: auto (from a terminal; without one, as for an IDE or Lens, once per session on a desktop, never in CI or over SSH), always, never' -r -f -a "auto\t'From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and only on a desktop: not in CI, not over SSH'
always\t'Also without a terminal, wherever it runs (once per session still)'
never\t'Never: the login URL is printed (as --skip-open-browser), and a call without a terminal fails at once with the command that logs in'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l notify -d 'A desktop notification when a call without a terminal opens the browser: auto (where the desktop has a notification service), never' -r -f -a "auto\t'When a call without a terminal opens the browser (once per such login), where the desktop has a notification service'
never\t''"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l authentication-timeout-sec -d 'How long to wait for the browser login (at most a day)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l certificate-authority -d 'PEM file with CA certificates to trust for the provider (repeatable)' -r -F
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l certificate-authority-data -d 'Base64 of PEM CA certificates to trust for the provider (repeatable)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l http-timeout-sec -d 'Connect and overall timeout of every request to the provider (at most an hour)' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l grant-type -d 'How to log in' -r -f -a "auto\t'The browser flow, or the password grant with --username; without a browser here, the device flow (or the pasted code)'
authcode\t'The browser flow (authorization code + PKCE through a loopback listener)'
authcode-keyboard\t'Print the login URL and read the code (or the URL the browser ended at) from the terminal: for jump hosts whose browser cannot reach a listener here'
password\t'The resource owner password grant (ROPC), for CI and legacy providers: --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the terminal'
device-code\t'The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and containers'
client-credentials\t'The client credentials grant, for CI: the client\'s own token (client secret needed; usually an access token only, so with --oidc-use-access-token)'
token-exchange\t'Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts'"
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l v -d 'kubelogin\'s log level (`--v=1`), taken as that many -v' -r
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l write -d 'Edit the kubeconfig (atomically, with a backup beside it) instead of printing the kubectl config commands'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l force -d 'Replace an existing, different user entry of that name'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l migrate -d 'Rewrite every exec entry that runs kubelogin (kubectl oidc-login) to run kubectl-oidc'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l dry-run -d 'With --migrate: show what would change, change nothing'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l remove-kubelogin-cache -d 'With --migrate: move kubelogin\'s copy of each imported refresh token aside (a file to a 0600 backup beside it, a keyring item removed), so that kubelogin never presents a refresh token kubectl-oidc has rotated'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l kuberc-allow -d 'Add kubectl-oidc to the kuberc\'s credentialPluginAllowlist when that allowlist does not let kubectl run it (through `kubectl kuberc set` where kubectl has it, else in the file, the previous one kept beside it); alone, without the login flags, it does only that'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-use-access-token -d 'Give kubectl the access token instead of the id_token, for clusters that validate the provider\'s JWT access tokens (its signature and issuer are checked, not its audience)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l oidc-use-pkce -d 'Deprecated kubelogin alias of --oidc-pkce-method=S256'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l skip-open-browser -d 'Do not open a browser; only print the login URL (as --browser=never)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l insecure-skip-tls-verify -d 'Do not verify the provider\'s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l tls-renegotiation-once -d 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l tls-renegotiation-freely -d 'Like --tls-renegotiation-once'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l force-refresh -d 'Ignore a cached id_token that is still valid and refresh it'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -s v -l verbose -d 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -l show-config -d 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand version" -s h -l help -d 'Print help'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand completion" -s h -l help -d 'Print help'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "get-token" -d 'Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "login" -d 'Log in in the browser now, even if a cached token is still valid'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "debug-token" -d 'Explain, as the API server would, who a token makes you and why RBAC does not match'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "status" -d 'List the cached sessions: issuer, client, account, who, expiry, refresh token, store'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "logout" -d 'Log out: revoke the refresh token at the provider, remove the session everywhere'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "clean" -d 'Remove every cached session, or only those unused for a while'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "setup" -d 'Onboard: log in, show who the API server will see, write the kubeconfig user entry'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "version" -d 'Print the version, commit, target and the keyring backend compiled in'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "completion" -d 'Print the shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c kubectl-oidc -n "__fish_kubectl_oidc_using_subcommand help; and not __fish_seen_subcommand_from get-token login debug-token status logout clean setup version completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
