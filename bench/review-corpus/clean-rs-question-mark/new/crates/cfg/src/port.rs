pub fn port(s: &str) -> Result<u16, std::num::ParseIntError> {
    s.trim().parse()
}
