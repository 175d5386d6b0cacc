//! `org-handshake-conform`: see the library's documentation.

fn main() -> std::process::ExitCode {
    org_handshake_conform::run_from_args(std::env::args_os())
}
