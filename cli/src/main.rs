fn main() -> std::process::ExitCode {
    guard_cli::main()
}
