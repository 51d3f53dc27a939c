#[cfg(test)]
mod tests {
    #[test]
    fn parses() {
        assert_eq!(super::super::port("80").unwrap(), 80);
    }
}
