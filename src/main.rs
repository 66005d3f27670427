fn main() {
    std::process::exit(jiaohe::cli::run());
}
