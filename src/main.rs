fn main() -> std::process::ExitCode {
    kubectl_oidc::main()
}
