fn main() {
    std::process::exit(bxland::cli::main());
}
