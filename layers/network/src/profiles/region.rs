//! Region names: checked by shape so a typo fails before it becomes a host name.

use super::RegionKind;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {provider} region {region:?}: expected {expected}")]
pub struct RegionError {
    pub provider: &'static str,
    pub region: String,
    pub expected: &'static str,
}

const AWS_EXPECTED: &str = "an AWS region such as us-east-1, eu-central-2 or us-gov-west-1";
const VERTEX_EXPECTED: &str =
    "global, us, eu, or a Google Cloud region such as us-east5 or europe-west1";

/// Normalises (lower-case) and checks a region for a provider kind.
pub fn validate_region(
    provider: &'static str,
    kind: RegionKind,
    region: &str,
) -> Result<String, RegionError> {
    let r = region.trim().to_ascii_lowercase();
    let err = |expected| RegionError {
        provider,
        region: region.to_string(),
        expected,
    };
    match kind {
        RegionKind::None => Err(err("no region (this provider takes none)")),
        RegionKind::Aws if is_aws_region(&r) => Ok(r),
        RegionKind::Aws => Err(err(AWS_EXPECTED)),
        RegionKind::Vertex if is_vertex_region(&r) => Ok(r),
        RegionKind::Vertex => Err(err(VERTEX_EXPECTED)),
    }
}

fn letters(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// `us-east-1`, `ap-southeast-4`, `us-gov-west-1`, `us-isob-east-1`, `eu-central-2`.
fn is_aws_region(r: &str) -> bool {
    if r.len() > 32 {
        return false;
    }
    let parts: Vec<&str> = r.split('-').collect();
    if !(3..=4).contains(&parts.len()) {
        return false;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    first.len() == 2
        && letters(first)
        && parts[1..parts.len() - 1].iter().all(|p| letters(p))
        && !last.is_empty()
        && last.len() <= 2
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// `global`, `us`, `eu`, or `europe-west1`, `us-east5`, `northamerica-northeast1`.
fn is_vertex_region(r: &str) -> bool {
    if matches!(r, "global" | "us" | "eu") {
        return true;
    }
    if r.len() > 40 {
        return false;
    }
    let Some((area, rest)) = r.split_once('-') else {
        return false;
    };
    let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (name, num) = rest.split_at(rest.len() - digits);
    letters(area) && letters(name) && (1..=2).contains(&num.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_regions() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-4",
            "US-WEST-2",
        ] {
            assert!(
                validate_region("bedrock", RegionKind::Aws, ok).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "",
            "us-east",
            "useast1",
            "us-east-1.evil.com",
            "us_east_1",
            "u-east-1",
            "us-east-1a",
            "us--1",
            "../x",
        ] {
            assert!(
                validate_region("bedrock", RegionKind::Aws, bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn vertex_regions() {
        for ok in [
            "global",
            "us",
            "eu",
            "us-east5",
            "europe-west1",
            "northamerica-northeast1",
        ] {
            assert!(
                validate_region("vertex", RegionKind::Vertex, ok).is_ok(),
                "{ok}"
            );
        }
        for bad in ["", "us-east", "east5", "us-east-5", "us-east5.x", "asia"] {
            assert!(
                validate_region("vertex", RegionKind::Vertex, bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn error_names_the_expectation() {
        let e = validate_region("bedrock", RegionKind::Aws, "mars-1").unwrap_err();
        assert!(e.to_string().contains("us-east-1"), "{e}");
    }
}
