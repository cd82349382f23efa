
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-oidc' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-oidc'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-oidc' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get-token', 'get-token', [CompletionResultType]::ParameterValue, 'Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in in the browser now, even if a cached token is still valid')
            [CompletionResult]::new('debug-token', 'debug-token', [CompletionResultType]::ParameterValue, 'Explain, as the API server would, who a token makes you and why RBAC does not match')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Explain, as the API server would, who a token makes you and why RBAC does not match')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the cached sessions: issuer, client, account, who, expiry, refresh token, store')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the cached sessions: issuer, client, account, who, expiry, refresh token, store')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out: revoke the refresh token at the provider, remove the session everywhere')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Remove every cached session, or only those unused for a while')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Onboard: log in, show who the API server will see, write the kubeconfig user entry')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, commit, target and the keyring backend compiled in')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-oidc;get-token' {
            [CompletionResult]::new('--oidc-issuer-url', '--oidc-issuer-url', [CompletionResultType]::ParameterName, 'Issuer URL of the OpenID provider, exactly as the API server''s --oidc-issuer-url')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'Client ID registered at the provider')
            [CompletionResult]::new('--oidc-extra-scope', '--oidc-extra-scope', [CompletionResultType]::ParameterName, 'Extra scope to request (repeatable; `openid` is always requested)')
            [CompletionResult]::new('--oidc-auth-request-extra-params', '--oidc-auth-request-extra-params', [CompletionResultType]::ParameterName, 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider''s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set')
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]')
            [CompletionResult]::new('--token-cache-storage', '--token-cache-storage', [CompletionResultType]::ParameterName, 'Where tokens are kept (see the README for the trade-offs)')
            [CompletionResult]::new('--oidc-client-secret', '--oidc-client-secret', [CompletionResultType]::ParameterName, 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (trailing newline ignored)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (trailing newline ignored)')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN')
            [CompletionResult]::new('--subject-token-file', '--subject-token-file', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job''s OIDC token)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the subject token''s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)')
            [CompletionResult]::new('--oidc-request-header', '--oidc-request-header', [CompletionResultType]::ParameterName, 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)')
            [CompletionResult]::new('--oidc-pkce-method', '--oidc-pkce-method', [CompletionResultType]::ParameterName, 'PKCE: auto uses S256 when the provider advertises it')
            [CompletionResult]::new('--oidc-redirect-url', '--oidc-redirect-url', [CompletionResultType]::ParameterName, 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback')
            [CompletionResult]::new('--listen-address', '--listen-address', [CompletionResultType]::ParameterName, 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)')
            [CompletionResult]::new('--listen-port', '--listen-port', [CompletionResultType]::ParameterName, 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT')
            [CompletionResult]::new('--oidc-redirect-url-hostname', '--oidc-redirect-url-hostname', [CompletionResultType]::ParameterName, 'Removed from kubelogin; ignored with a notice (use --oidc-redirect-url)')
            [CompletionResult]::new('--oidc-redirect-url-authcode-keyboard', '--oidc-redirect-url-authcode-keyboard', [CompletionResultType]::ParameterName, 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard')
            [CompletionResult]::new('--browser-command', '--browser-command', [CompletionResultType]::ParameterName, 'Command that opens the login URL, with arguments; the URL is appended')
            [CompletionResult]::new('--open-url-after-authentication', '--open-url-after-authentication', [CompletionResultType]::ParameterName, 'After the browser login, send the browser on to this URL (a team''s landing page, say) instead of showing "Logged in"')
            [CompletionResult]::new('--authentication-timeout-sec', '--authentication-timeout-sec', [CompletionResultType]::ParameterName, 'How long to wait for the browser login (at most a day)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--certificate-authority-data', '--certificate-authority-data', [CompletionResultType]::ParameterName, 'Base64 of PEM CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--http-timeout-sec', '--http-timeout-sec', [CompletionResultType]::ParameterName, 'Connect and overall timeout of every request to the provider (at most an hour)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'How to log in')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'kubelogin''s log level (`--v=1`), taken as that many -v')
            [CompletionResult]::new('--oidc-use-access-token', '--oidc-use-access-token', [CompletionResultType]::ParameterName, 'Give kubectl the access token instead of the id_token, for clusters that validate the provider''s JWT access tokens (its signature and issuer are checked, not its audience)')
            [CompletionResult]::new('--oidc-use-pkce', '--oidc-use-pkce', [CompletionResultType]::ParameterName, 'Deprecated kubelogin alias of --oidc-pkce-method=S256')
            [CompletionResult]::new('--skip-open-browser', '--skip-open-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; only print the login URL')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not verify the provider''s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)')
            [CompletionResult]::new('--tls-renegotiation-once', '--tls-renegotiation-once', [CompletionResultType]::ParameterName, 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)')
            [CompletionResult]::new('--tls-renegotiation-freely', '--tls-renegotiation-freely', [CompletionResultType]::ParameterName, 'Like --tls-renegotiation-once')
            [CompletionResult]::new('--force-refresh', '--force-refresh', [CompletionResultType]::ParameterName, 'Ignore a cached id_token that is still valid and refresh it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--show-config', '--show-config', [CompletionResultType]::ParameterName, 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-oidc;login' {
            [CompletionResult]::new('--oidc-issuer-url', '--oidc-issuer-url', [CompletionResultType]::ParameterName, 'Issuer URL of the OpenID provider, exactly as the API server''s --oidc-issuer-url')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'Client ID registered at the provider')
            [CompletionResult]::new('--oidc-extra-scope', '--oidc-extra-scope', [CompletionResultType]::ParameterName, 'Extra scope to request (repeatable; `openid` is always requested)')
            [CompletionResult]::new('--oidc-auth-request-extra-params', '--oidc-auth-request-extra-params', [CompletionResultType]::ParameterName, 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider''s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set')
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]')
            [CompletionResult]::new('--token-cache-storage', '--token-cache-storage', [CompletionResultType]::ParameterName, 'Where tokens are kept (see the README for the trade-offs)')
            [CompletionResult]::new('--oidc-client-secret', '--oidc-client-secret', [CompletionResultType]::ParameterName, 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (trailing newline ignored)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (trailing newline ignored)')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN')
            [CompletionResult]::new('--subject-token-file', '--subject-token-file', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job''s OIDC token)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the subject token''s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)')
            [CompletionResult]::new('--oidc-request-header', '--oidc-request-header', [CompletionResultType]::ParameterName, 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)')
            [CompletionResult]::new('--oidc-pkce-method', '--oidc-pkce-method', [CompletionResultType]::ParameterName, 'PKCE: auto uses S256 when the provider advertises it')
            [CompletionResult]::new('--oidc-redirect-url', '--oidc-redirect-url', [CompletionResultType]::ParameterName, 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback')
            [CompletionResult]::new('--listen-address', '--listen-address', [CompletionResultType]::ParameterName, 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)')
            [CompletionResult]::new('--listen-port', '--listen-port', [CompletionResultType]::ParameterName, 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT')
            [CompletionResult]::new('--oidc-redirect-url-hostname', '--oidc-redirect-url-hostname', [CompletionResultType]::ParameterName, 'Removed from kubelogin; ignored with a notice (use --oidc-redirect-url)')
            [CompletionResult]::new('--oidc-redirect-url-authcode-keyboard', '--oidc-redirect-url-authcode-keyboard', [CompletionResultType]::ParameterName, 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard')
            [CompletionResult]::new('--browser-command', '--browser-command', [CompletionResultType]::ParameterName, 'Command that opens the login URL, with arguments; the URL is appended')
            [CompletionResult]::new('--open-url-after-authentication', '--open-url-after-authentication', [CompletionResultType]::ParameterName, 'After the browser login, send the browser on to this URL (a team''s landing page, say) instead of showing "Logged in"')
            [CompletionResult]::new('--authentication-timeout-sec', '--authentication-timeout-sec', [CompletionResultType]::ParameterName, 'How long to wait for the browser login (at most a day)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--certificate-authority-data', '--certificate-authority-data', [CompletionResultType]::ParameterName, 'Base64 of PEM CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--http-timeout-sec', '--http-timeout-sec', [CompletionResultType]::ParameterName, 'Connect and overall timeout of every request to the provider (at most an hour)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'How to log in')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'kubelogin''s log level (`--v=1`), taken as that many -v')
            [CompletionResult]::new('--oidc-use-access-token', '--oidc-use-access-token', [CompletionResultType]::ParameterName, 'Give kubectl the access token instead of the id_token, for clusters that validate the provider''s JWT access tokens (its signature and issuer are checked, not its audience)')
            [CompletionResult]::new('--oidc-use-pkce', '--oidc-use-pkce', [CompletionResultType]::ParameterName, 'Deprecated kubelogin alias of --oidc-pkce-method=S256')
            [CompletionResult]::new('--skip-open-browser', '--skip-open-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; only print the login URL')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not verify the provider''s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)')
            [CompletionResult]::new('--tls-renegotiation-once', '--tls-renegotiation-once', [CompletionResultType]::ParameterName, 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)')
            [CompletionResult]::new('--tls-renegotiation-freely', '--tls-renegotiation-freely', [CompletionResultType]::ParameterName, 'Like --tls-renegotiation-once')
            [CompletionResult]::new('--force-refresh', '--force-refresh', [CompletionResultType]::ParameterName, 'Ignore a cached id_token that is still valid and refresh it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--show-config', '--show-config', [CompletionResultType]::ParameterName, 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-oidc;debug-token' {
            [CompletionResult]::new('--oidc-username-claim', '--oidc-username-claim', [CompletionResultType]::ParameterName, 'Username claim, as kube-apiserver --oidc-username-claim')
            [CompletionResult]::new('--oidc-username-prefix', '--oidc-username-prefix', [CompletionResultType]::ParameterName, 'Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)')
            [CompletionResult]::new('--oidc-groups-claim', '--oidc-groups-claim', [CompletionResultType]::ParameterName, 'Groups claim, as kube-apiserver --oidc-groups-claim')
            [CompletionResult]::new('--oidc-groups-prefix', '--oidc-groups-prefix', [CompletionResultType]::ParameterName, 'Groups prefix, as kube-apiserver --oidc-groups-prefix')
            [CompletionResult]::new('--oidc-required-claim', '--oidc-required-claim', [CompletionResultType]::ParameterName, 'Required claim, as kube-apiserver --oidc-required-claim (repeatable)')
            [CompletionResult]::new('--oidc-signing-algs', '--oidc-signing-algs', [CompletionResultType]::ParameterName, 'Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]')
            [CompletionResult]::new('--oidc-ca-file', '--oidc-ca-file', [CompletionResultType]::ParameterName, 'CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file')
            [CompletionResult]::new('--authentication-config', '--authentication-config', [CompletionResultType]::ParameterName, 'An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig to read the context''s exec entry and cluster from')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context whose exec entry selects the token and whose cluster is asked (SelfSubjectReview)')
            [CompletionResult]::new('--admin-context', '--admin-context', [CompletionResultType]::ParameterName, 'Context with permission to list RBAC bindings (default: --context)')
            [CompletionResult]::new('--verb', '--verb', [CompletionResultType]::ParameterName, 'Verb for a SelfSubjectAccessReview (with --resource)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Resource for a SelfSubjectAccessReview, e.g. pods or deployments.apps')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for a SelfSubjectAccessReview')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for a SelfSubjectAccessReview')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--oidc-issuer-url', '--oidc-issuer-url', [CompletionResultType]::ParameterName, 'Issuer URL of the OpenID provider, exactly as the API server''s --oidc-issuer-url')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'Client ID registered at the provider')
            [CompletionResult]::new('--oidc-extra-scope', '--oidc-extra-scope', [CompletionResultType]::ParameterName, 'Extra scope to request (repeatable; `openid` is always requested)')
            [CompletionResult]::new('--oidc-auth-request-extra-params', '--oidc-auth-request-extra-params', [CompletionResultType]::ParameterName, 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider''s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set')
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]')
            [CompletionResult]::new('--token-cache-storage', '--token-cache-storage', [CompletionResultType]::ParameterName, 'Where tokens are kept (see the README for the trade-offs)')
            [CompletionResult]::new('--oidc-client-secret', '--oidc-client-secret', [CompletionResultType]::ParameterName, 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (trailing newline ignored)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (trailing newline ignored)')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN')
            [CompletionResult]::new('--subject-token-file', '--subject-token-file', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job''s OIDC token)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the subject token''s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)')
            [CompletionResult]::new('--oidc-request-header', '--oidc-request-header', [CompletionResultType]::ParameterName, 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)')
            [CompletionResult]::new('--oidc-pkce-method', '--oidc-pkce-method', [CompletionResultType]::ParameterName, 'PKCE: auto uses S256 when the provider advertises it')
            [CompletionResult]::new('--oidc-redirect-url', '--oidc-redirect-url', [CompletionResultType]::ParameterName, 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback')
            [CompletionResult]::new('--listen-address', '--listen-address', [CompletionResultType]::ParameterName, 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)')
            [CompletionResult]::new('--listen-port', '--listen-port', [CompletionResultType]::ParameterName, 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT')
            [CompletionResult]::new('--oidc-redirect-url-hostname', '--oidc-redirect-url-hostname', [CompletionResultType]::ParameterName, 'Removed from kubelogin; ignored with a notice (use --oidc-redirect-url)')
            [CompletionResult]::new('--oidc-redirect-url-authcode-keyboard', '--oidc-redirect-url-authcode-keyboard', [CompletionResultType]::ParameterName, 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard')
            [CompletionResult]::new('--browser-command', '--browser-command', [CompletionResultType]::ParameterName, 'Command that opens the login URL, with arguments; the URL is appended')
            [CompletionResult]::new('--open-url-after-authentication', '--open-url-after-authentication', [CompletionResultType]::ParameterName, 'After the browser login, send the browser on to this URL (a team''s landing page, say) instead of showing "Logged in"')
            [CompletionResult]::new('--authentication-timeout-sec', '--authentication-timeout-sec', [CompletionResultType]::ParameterName, 'How long to wait for the browser login (at most a day)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--certificate-authority-data', '--certificate-authority-data', [CompletionResultType]::ParameterName, 'Base64 of PEM CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--http-timeout-sec', '--http-timeout-sec', [CompletionResultType]::ParameterName, 'Connect and overall timeout of every request to the provider (at most an hour)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'How to log in')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'kubelogin''s log level (`--v=1`), taken as that many -v')
            [CompletionResult]::new('--from-cluster', '--from-cluster', [CompletionResultType]::ParameterName, 'Read the API server''s OIDC configuration from the kube-apiserver pod in kube-system')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Ask the cluster of the current context even without --context')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not fetch discovery/JWKS or ask the cluster; the signature is then unchecked')
            [CompletionResult]::new('--show-token', '--show-token', [CompletionResultType]::ParameterName, 'Also print the raw token and its signature')
            [CompletionResult]::new('--oidc-use-access-token', '--oidc-use-access-token', [CompletionResultType]::ParameterName, 'Give kubectl the access token instead of the id_token, for clusters that validate the provider''s JWT access tokens (its signature and issuer are checked, not its audience)')
            [CompletionResult]::new('--oidc-use-pkce', '--oidc-use-pkce', [CompletionResultType]::ParameterName, 'Deprecated kubelogin alias of --oidc-pkce-method=S256')
            [CompletionResult]::new('--skip-open-browser', '--skip-open-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; only print the login URL')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not verify the provider''s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)')
            [CompletionResult]::new('--tls-renegotiation-once', '--tls-renegotiation-once', [CompletionResultType]::ParameterName, 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)')
            [CompletionResult]::new('--tls-renegotiation-freely', '--tls-renegotiation-freely', [CompletionResultType]::ParameterName, 'Like --tls-renegotiation-once')
            [CompletionResult]::new('--force-refresh', '--force-refresh', [CompletionResultType]::ParameterName, 'Ignore a cached id_token that is still valid and refresh it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--show-config', '--show-config', [CompletionResultType]::ParameterName, 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-oidc;doctor' {
            [CompletionResult]::new('--oidc-username-claim', '--oidc-username-claim', [CompletionResultType]::ParameterName, 'Username claim, as kube-apiserver --oidc-username-claim')
            [CompletionResult]::new('--oidc-username-prefix', '--oidc-username-prefix', [CompletionResultType]::ParameterName, 'Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)')
            [CompletionResult]::new('--oidc-groups-claim', '--oidc-groups-claim', [CompletionResultType]::ParameterName, 'Groups claim, as kube-apiserver --oidc-groups-claim')
            [CompletionResult]::new('--oidc-groups-prefix', '--oidc-groups-prefix', [CompletionResultType]::ParameterName, 'Groups prefix, as kube-apiserver --oidc-groups-prefix')
            [CompletionResult]::new('--oidc-required-claim', '--oidc-required-claim', [CompletionResultType]::ParameterName, 'Required claim, as kube-apiserver --oidc-required-claim (repeatable)')
            [CompletionResult]::new('--oidc-signing-algs', '--oidc-signing-algs', [CompletionResultType]::ParameterName, 'Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]')
            [CompletionResult]::new('--oidc-ca-file', '--oidc-ca-file', [CompletionResultType]::ParameterName, 'CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file')
            [CompletionResult]::new('--authentication-config', '--authentication-config', [CompletionResultType]::ParameterName, 'An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig to read the context''s exec entry and cluster from')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context whose exec entry selects the token and whose cluster is asked (SelfSubjectReview)')
            [CompletionResult]::new('--admin-context', '--admin-context', [CompletionResultType]::ParameterName, 'Context with permission to list RBAC bindings (default: --context)')
            [CompletionResult]::new('--verb', '--verb', [CompletionResultType]::ParameterName, 'Verb for a SelfSubjectAccessReview (with --resource)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Resource for a SelfSubjectAccessReview, e.g. pods or deployments.apps')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace for a SelfSubjectAccessReview')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace for a SelfSubjectAccessReview')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--oidc-issuer-url', '--oidc-issuer-url', [CompletionResultType]::ParameterName, 'Issuer URL of the OpenID provider, exactly as the API server''s --oidc-issuer-url')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'Client ID registered at the provider')
            [CompletionResult]::new('--oidc-extra-scope', '--oidc-extra-scope', [CompletionResultType]::ParameterName, 'Extra scope to request (repeatable; `openid` is always requested)')
            [CompletionResult]::new('--oidc-auth-request-extra-params', '--oidc-auth-request-extra-params', [CompletionResultType]::ParameterName, 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider''s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set')
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]')
            [CompletionResult]::new('--token-cache-storage', '--token-cache-storage', [CompletionResultType]::ParameterName, 'Where tokens are kept (see the README for the trade-offs)')
            [CompletionResult]::new('--oidc-client-secret', '--oidc-client-secret', [CompletionResultType]::ParameterName, 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (trailing newline ignored)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (trailing newline ignored)')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN')
            [CompletionResult]::new('--subject-token-file', '--subject-token-file', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job''s OIDC token)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the subject token''s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)')
            [CompletionResult]::new('--oidc-request-header', '--oidc-request-header', [CompletionResultType]::ParameterName, 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)')
            [CompletionResult]::new('--oidc-pkce-method', '--oidc-pkce-method', [CompletionResultType]::ParameterName, 'PKCE: auto uses S256 when the provider advertises it')
            [CompletionResult]::new('--oidc-redirect-url', '--oidc-redirect-url', [CompletionResultType]::ParameterName, 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback')
            [CompletionResult]::new('--listen-address', '--listen-address', [CompletionResultType]::ParameterName, 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)')
            [CompletionResult]::new('--listen-port', '--listen-port', [CompletionResultType]::ParameterName, 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT')
            [CompletionResult]::new('--oidc-redirect-url-hostname', '--oidc-redirect-url-hostname', [CompletionResultType]::ParameterName, 'Removed from kubelogin; ignored with a notice (use --oidc-redirect-url)')
            [CompletionResult]::new('--oidc-redirect-url-authcode-keyboard', '--oidc-redirect-url-authcode-keyboard', [CompletionResultType]::ParameterName, 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard')
            [CompletionResult]::new('--browser-command', '--browser-command', [CompletionResultType]::ParameterName, 'Command that opens the login URL, with arguments; the URL is appended')
            [CompletionResult]::new('--open-url-after-authentication', '--open-url-after-authentication', [CompletionResultType]::ParameterName, 'After the browser login, send the browser on to this URL (a team''s landing page, say) instead of showing "Logged in"')
            [CompletionResult]::new('--authentication-timeout-sec', '--authentication-timeout-sec', [CompletionResultType]::ParameterName, 'How long to wait for the browser login (at most a day)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--certificate-authority-data', '--certificate-authority-data', [CompletionResultType]::ParameterName, 'Base64 of PEM CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--http-timeout-sec', '--http-timeout-sec', [CompletionResultType]::ParameterName, 'Connect and overall timeout of every request to the provider (at most an hour)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'How to log in')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'kubelogin''s log level (`--v=1`), taken as that many -v')
            [CompletionResult]::new('--from-cluster', '--from-cluster', [CompletionResultType]::ParameterName, 'Read the API server''s OIDC configuration from the kube-apiserver pod in kube-system')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Ask the cluster of the current context even without --context')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not fetch discovery/JWKS or ask the cluster; the signature is then unchecked')
            [CompletionResult]::new('--show-token', '--show-token', [CompletionResultType]::ParameterName, 'Also print the raw token and its signature')
            [CompletionResult]::new('--oidc-use-access-token', '--oidc-use-access-token', [CompletionResultType]::ParameterName, 'Give kubectl the access token instead of the id_token, for clusters that validate the provider''s JWT access tokens (its signature and issuer are checked, not its audience)')
            [CompletionResult]::new('--oidc-use-pkce', '--oidc-use-pkce', [CompletionResultType]::ParameterName, 'Deprecated kubelogin alias of --oidc-pkce-method=S256')
            [CompletionResult]::new('--skip-open-browser', '--skip-open-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; only print the login URL')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not verify the provider''s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)')
            [CompletionResult]::new('--tls-renegotiation-once', '--tls-renegotiation-once', [CompletionResultType]::ParameterName, 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)')
            [CompletionResult]::new('--tls-renegotiation-freely', '--tls-renegotiation-freely', [CompletionResultType]::ParameterName, 'Like --tls-renegotiation-once')
            [CompletionResult]::new('--force-refresh', '--force-refresh', [CompletionResultType]::ParameterName, 'Ignore a cached id_token that is still valid and refresh it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--show-config', '--show-config', [CompletionResultType]::ParameterName, 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-oidc;status' {
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-oidc;list' {
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-oidc;logout' {
            [CompletionResult]::new('--oidc-issuer-url', '--oidc-issuer-url', [CompletionResultType]::ParameterName, 'Issuer URL of the OpenID provider, exactly as the API server''s --oidc-issuer-url')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'Client ID registered at the provider')
            [CompletionResult]::new('--oidc-extra-scope', '--oidc-extra-scope', [CompletionResultType]::ParameterName, 'Extra scope to request (repeatable; `openid` is always requested)')
            [CompletionResult]::new('--oidc-auth-request-extra-params', '--oidc-auth-request-extra-params', [CompletionResultType]::ParameterName, 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider''s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set')
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]')
            [CompletionResult]::new('--token-cache-storage', '--token-cache-storage', [CompletionResultType]::ParameterName, 'Where tokens are kept (see the README for the trade-offs)')
            [CompletionResult]::new('--oidc-client-secret', '--oidc-client-secret', [CompletionResultType]::ParameterName, 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (trailing newline ignored)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (trailing newline ignored)')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN')
            [CompletionResult]::new('--subject-token-file', '--subject-token-file', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job''s OIDC token)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the subject token''s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)')
            [CompletionResult]::new('--oidc-request-header', '--oidc-request-header', [CompletionResultType]::ParameterName, 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)')
            [CompletionResult]::new('--oidc-pkce-method', '--oidc-pkce-method', [CompletionResultType]::ParameterName, 'PKCE: auto uses S256 when the provider advertises it')
            [CompletionResult]::new('--oidc-redirect-url', '--oidc-redirect-url', [CompletionResultType]::ParameterName, 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback')
            [CompletionResult]::new('--listen-address', '--listen-address', [CompletionResultType]::ParameterName, 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)')
            [CompletionResult]::new('--listen-port', '--listen-port', [CompletionResultType]::ParameterName, 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT')
            [CompletionResult]::new('--oidc-redirect-url-hostname', '--oidc-redirect-url-hostname', [CompletionResultType]::ParameterName, 'Removed from kubelogin; ignored with a notice (use --oidc-redirect-url)')
            [CompletionResult]::new('--oidc-redirect-url-authcode-keyboard', '--oidc-redirect-url-authcode-keyboard', [CompletionResultType]::ParameterName, 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard')
            [CompletionResult]::new('--browser-command', '--browser-command', [CompletionResultType]::ParameterName, 'Command that opens the login URL, with arguments; the URL is appended')
            [CompletionResult]::new('--open-url-after-authentication', '--open-url-after-authentication', [CompletionResultType]::ParameterName, 'After the browser login, send the browser on to this URL (a team''s landing page, say) instead of showing "Logged in"')
            [CompletionResult]::new('--authentication-timeout-sec', '--authentication-timeout-sec', [CompletionResultType]::ParameterName, 'How long to wait for the browser login (at most a day)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--certificate-authority-data', '--certificate-authority-data', [CompletionResultType]::ParameterName, 'Base64 of PEM CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--http-timeout-sec', '--http-timeout-sec', [CompletionResultType]::ParameterName, 'Connect and overall timeout of every request to the provider (at most an hour)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'How to log in')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'kubelogin''s log level (`--v=1`), taken as that many -v')
            [CompletionResult]::new('--end-session', '--end-session', [CompletionResultType]::ParameterName, 'Also open the provider''s end_session_endpoint in the browser (RP-initiated logout)')
            [CompletionResult]::new('--oidc-use-access-token', '--oidc-use-access-token', [CompletionResultType]::ParameterName, 'Give kubectl the access token instead of the id_token, for clusters that validate the provider''s JWT access tokens (its signature and issuer are checked, not its audience)')
            [CompletionResult]::new('--oidc-use-pkce', '--oidc-use-pkce', [CompletionResultType]::ParameterName, 'Deprecated kubelogin alias of --oidc-pkce-method=S256')
            [CompletionResult]::new('--skip-open-browser', '--skip-open-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; only print the login URL')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not verify the provider''s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)')
            [CompletionResult]::new('--tls-renegotiation-once', '--tls-renegotiation-once', [CompletionResultType]::ParameterName, 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)')
            [CompletionResult]::new('--tls-renegotiation-freely', '--tls-renegotiation-freely', [CompletionResultType]::ParameterName, 'Like --tls-renegotiation-once')
            [CompletionResult]::new('--force-refresh', '--force-refresh', [CompletionResultType]::ParameterName, 'Ignore a cached id_token that is still valid and refresh it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--show-config', '--show-config', [CompletionResultType]::ParameterName, 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-oidc;clean' {
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory]')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only sessions not refreshed for this long: 30d, 12h, 90m, 45s')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be removed, remove nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-oidc;setup' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'The kubeconfig to write [default: the first file of $KUBECONFIG, else ~/.kube/config]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Name of the kubeconfig user entry')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Also add a cluster of this name, and a context of the same name for it and the user')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The cluster''s API server URL (with --cluster)')
            [CompletionResult]::new('--cluster-certificate-authority', '--cluster-certificate-authority', [CompletionResultType]::ParameterName, 'The cluster''s CA file, embedded into the kubeconfig (with --cluster)')
            [CompletionResult]::new('--oidc-username-claim', '--oidc-username-claim', [CompletionResultType]::ParameterName, 'Username claim, as kube-apiserver --oidc-username-claim')
            [CompletionResult]::new('--oidc-username-prefix', '--oidc-username-prefix', [CompletionResultType]::ParameterName, 'Username prefix, as kube-apiserver --oidc-username-prefix (`-` disables the default `<issuer>#`)')
            [CompletionResult]::new('--oidc-groups-claim', '--oidc-groups-claim', [CompletionResultType]::ParameterName, 'Groups claim, as kube-apiserver --oidc-groups-claim')
            [CompletionResult]::new('--oidc-groups-prefix', '--oidc-groups-prefix', [CompletionResultType]::ParameterName, 'Groups prefix, as kube-apiserver --oidc-groups-prefix')
            [CompletionResult]::new('--oidc-required-claim', '--oidc-required-claim', [CompletionResultType]::ParameterName, 'Required claim, as kube-apiserver --oidc-required-claim (repeatable)')
            [CompletionResult]::new('--oidc-signing-algs', '--oidc-signing-algs', [CompletionResultType]::ParameterName, 'Accepted signing algorithms, as kube-apiserver --oidc-signing-algs [default: RS256]')
            [CompletionResult]::new('--oidc-ca-file', '--oidc-ca-file', [CompletionResultType]::ParameterName, 'CA file the API server uses for the provider, as kube-apiserver --oidc-ca-file')
            [CompletionResult]::new('--authentication-config', '--authentication-config', [CompletionResultType]::ParameterName, 'An AuthenticationConfiguration file (apiserver.config.k8s.io v1alpha1/v1beta1/v1)')
            [CompletionResult]::new('--oidc-issuer-url', '--oidc-issuer-url', [CompletionResultType]::ParameterName, 'Issuer URL of the OpenID provider, exactly as the API server''s --oidc-issuer-url')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'Client ID registered at the provider')
            [CompletionResult]::new('--oidc-extra-scope', '--oidc-extra-scope', [CompletionResultType]::ParameterName, 'Extra scope to request (repeatable; `openid` is always requested)')
            [CompletionResult]::new('--oidc-auth-request-extra-params', '--oidc-auth-request-extra-params', [CompletionResultType]::ParameterName, 'Extra parameter for the authorization request, e.g. prompt=login (repeatable)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Which of your identities at this provider and client: each account is a session of its own, and the provider gets it as login_hint')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Username for --grant-type=password (a session of its own, like --account); with --grant-type=auto it selects the password grant, as in kubelogin')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider''s preset (scopes, parameters, PKCE, redirect host it needs); auto detects it from the issuer URL. --show-config says what it set')
            [CompletionResult]::new('--token-cache-dir', '--token-cache-dir', [CompletionResultType]::ParameterName, 'Directory of the token cache [default: KUBECTL_OIDC_CACHE_DIR, else the user cache directory, e.g. ~/.cache/kubectl-oidc]')
            [CompletionResult]::new('--token-cache-storage', '--token-cache-storage', [CompletionResultType]::ParameterName, 'Where tokens are kept (see the README for the trade-offs)')
            [CompletionResult]::new('--oidc-client-secret', '--oidc-client-secret', [CompletionResultType]::ParameterName, 'Client secret, for confidential clients. Prefer --oidc-client-secret-file or the environment variable, which keep it out of argv and the kubeconfig')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (trailing newline ignored)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password for --grant-type=password. Prefer --password-file or KUBECTL_OIDC_PASSWORD; without any, it is asked on the terminal without echo')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from this file (trailing newline ignored)')
            [CompletionResult]::new('--subject-token', '--subject-token', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token to exchange (RFC 8693 subject_token). Prefer --subject-token-file or KUBECTL_OIDC_SUBJECT_TOKEN')
            [CompletionResult]::new('--subject-token-file', '--subject-token-file', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: read the token to exchange from this file, afresh on every exchange (a projected service account token, a CI job''s OIDC token)')
            [CompletionResult]::new('--subject-token-type', '--subject-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the subject token''s type: access_token, id_token, jwt, or a full urn:ietf:params:oauth:token-type URI')
            [CompletionResult]::new('--requested-token-type', '--requested-token-type', [CompletionResultType]::ParameterName, '--grant-type=token-exchange: the token type to ask for (as --subject-token-type)')
            [CompletionResult]::new('--oidc-request-header', '--oidc-request-header', [CompletionResultType]::ParameterName, 'Extra HTTP header for every request to the provider, e.g. Origin=http://localhost for an Entra ID single-page-application client (repeatable)')
            [CompletionResult]::new('--oidc-pkce-method', '--oidc-pkce-method', [CompletionResultType]::ParameterName, 'PKCE: auto uses S256 when the provider advertises it')
            [CompletionResult]::new('--oidc-redirect-url', '--oidc-redirect-url', [CompletionResultType]::ParameterName, 'Redirect URL to send to the provider instead of http://127.0.0.1:PORT/callback')
            [CompletionResult]::new('--listen-address', '--listen-address', [CompletionResultType]::ParameterName, 'Loopback address for the login callback, tried in order (repeatable; port 0 = any free port)')
            [CompletionResult]::new('--listen-port', '--listen-port', [CompletionResultType]::ParameterName, 'Removed from kubelogin (v1.19); taken as --listen-address=127.0.0.1:PORT')
            [CompletionResult]::new('--oidc-redirect-url-hostname', '--oidc-redirect-url-hostname', [CompletionResultType]::ParameterName, 'Removed from kubelogin; ignored with a notice (use --oidc-redirect-url)')
            [CompletionResult]::new('--oidc-redirect-url-authcode-keyboard', '--oidc-redirect-url-authcode-keyboard', [CompletionResultType]::ParameterName, 'Removed from kubelogin; taken as --oidc-redirect-url for --grant-type=authcode-keyboard')
            [CompletionResult]::new('--browser-command', '--browser-command', [CompletionResultType]::ParameterName, 'Command that opens the login URL, with arguments; the URL is appended')
            [CompletionResult]::new('--open-url-after-authentication', '--open-url-after-authentication', [CompletionResultType]::ParameterName, 'After the browser login, send the browser on to this URL (a team''s landing page, say) instead of showing "Logged in"')
            [CompletionResult]::new('--authentication-timeout-sec', '--authentication-timeout-sec', [CompletionResultType]::ParameterName, 'How long to wait for the browser login (at most a day)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file with CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--certificate-authority-data', '--certificate-authority-data', [CompletionResultType]::ParameterName, 'Base64 of PEM CA certificates to trust for the provider (repeatable)')
            [CompletionResult]::new('--http-timeout-sec', '--http-timeout-sec', [CompletionResultType]::ParameterName, 'Connect and overall timeout of every request to the provider (at most an hour)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'How to log in')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'kubelogin''s log level (`--v=1`), taken as that many -v')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Edit the kubeconfig (atomically, with a backup beside it) instead of printing the kubectl config commands')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing, different user entry of that name')
            [CompletionResult]::new('--migrate', '--migrate', [CompletionResultType]::ParameterName, 'Rewrite every exec entry that runs kubelogin (kubectl oidc-login) to run kubectl-oidc')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --migrate: show what would change, change nothing')
            [CompletionResult]::new('--oidc-use-access-token', '--oidc-use-access-token', [CompletionResultType]::ParameterName, 'Give kubectl the access token instead of the id_token, for clusters that validate the provider''s JWT access tokens (its signature and issuer are checked, not its audience)')
            [CompletionResult]::new('--oidc-use-pkce', '--oidc-use-pkce', [CompletionResultType]::ParameterName, 'Deprecated kubelogin alias of --oidc-pkce-method=S256')
            [CompletionResult]::new('--skip-open-browser', '--skip-open-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; only print the login URL')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not verify the provider''s TLS certificate, and allow a plain-http issuer that is not on this machine (insecure)')
            [CompletionResult]::new('--tls-renegotiation-once', '--tls-renegotiation-once', [CompletionResultType]::ParameterName, 'Accepted for kubelogin compatibility, without effect: rustls implements no TLS renegotiation (a provider that needs it, such as an old AD FS, must be reached through a proxy that terminates TLS)')
            [CompletionResult]::new('--tls-renegotiation-freely', '--tls-renegotiation-freely', [CompletionResultType]::ParameterName, 'Like --tls-renegotiation-once')
            [CompletionResult]::new('--force-refresh', '--force-refresh', [CompletionResultType]::ParameterName, 'Ignore a cached id_token that is still valid and refresh it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say on stderr what happens: cache decisions, lock waits, discovery, HTTP status lines (-vv: more). Never a token, code, verifier or secret')
            [CompletionResult]::new('--show-config', '--show-config', [CompletionResultType]::ParameterName, 'Print every effective setting and where it came from (flag, variable, preset, default), secrets redacted, and exit without logging in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-oidc;version' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-oidc;completion' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-oidc;help' {
            [CompletionResult]::new('get-token', 'get-token', [CompletionResultType]::ParameterValue, 'Print an ExecCredential for kubectl (the kubeconfig exec entry runs this)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in in the browser now, even if a cached token is still valid')
            [CompletionResult]::new('debug-token', 'debug-token', [CompletionResultType]::ParameterValue, 'Explain, as the API server would, who a token makes you and why RBAC does not match')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the cached sessions: issuer, client, account, who, expiry, refresh token, store')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Log out: revoke the refresh token at the provider, remove the session everywhere')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Remove every cached session, or only those unused for a while')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Onboard: log in, show who the API server will see, write the kubeconfig user entry')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, commit, target and the keyring backend compiled in')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-oidc;help;get-token' {
            break
        }
        'kubectl-oidc;help;login' {
            break
        }
        'kubectl-oidc;help;debug-token' {
            break
        }
        'kubectl-oidc;help;status' {
            break
        }
        'kubectl-oidc;help;logout' {
            break
        }
        'kubectl-oidc;help;clean' {
            break
        }
        'kubectl-oidc;help;setup' {
            break
        }
        'kubectl-oidc;help;version' {
            break
        }
        'kubectl-oidc;help;completion' {
            break
        }
        'kubectl-oidc;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
