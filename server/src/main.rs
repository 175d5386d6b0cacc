//! The `org-handshake-server` executable: everything is [`org_handshake_server::run_from_args`].

fn main() -> std::process::ExitCode {
    org_handshake_server::run_from_args(std::env::args_os())
}
