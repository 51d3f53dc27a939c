//! AWS Signature Version 4 for Bedrock requests, computed by the maintained
//! `aws-sigv4` crate from static credentials (the usual environment variables).

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use std::time::SystemTime;

/// Static AWS credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Where and when a request is signed for.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub region: &'a str,
    pub service: &'a str,
    pub time: SystemTime,
}

/// The headers to add to a request so AWS accepts it: `authorization`,
/// `x-amz-date` and, with a session token, `x-amz-security-token`.
/// `headers` are the request's own headers that must be signed (not `host`,
/// which is taken from `url`).
pub fn signature_headers(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    creds: &AwsCredentials,
    scope: Scope<'_>,
) -> Result<Vec<(String, String)>, String> {
    let uri: ureq::http::Uri = url.parse().map_err(|e| format!("bad URL {url:?}: {e}"))?;
    if uri.host().is_none() {
        return Err(format!("URL {url:?} has no host"));
    }
    let identity = Credentials::new(
        creds.access_key_id.clone(),
        creds.secret_access_key.clone(),
        creds.session_token.clone(),
        None,
        "environment",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(scope.time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("SigV4 parameters: {e}"))?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| format!("SigV4 request: {e}"))?;
    let (instructions, _signature) = sign(request, &params)
        .map_err(|e| format!("SigV4 signing: {e}"))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn example_creds() -> AwsCredentials {
        // The documented example credentials of the AWS SigV4 test suite.
        AwsCredentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        }
    }

    /// 2015-08-30T12:36:00Z, the time of the AWS SigV4 test suite.
    fn suite_time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
        h.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn matches_the_aws_get_vanilla_vector() {
        let h = signature_headers(
            "GET",
            "https://example.amazonaws.com/",
            &[],
            b"",
            &example_creds(),
            Scope {
                region: "us-east-1",
                service: "service",
                time: suite_time(),
            },
        )
        .expect("signs");
        assert_eq!(header(&h, "x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            header(&h, "authorization"),
            Some("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        );
    }

    #[test]
    fn matches_the_aws_post_vanilla_vector() {
        let h = signature_headers(
            "POST",
            "https://example.amazonaws.com/",
            &[],
            b"",
            &example_creds(),
            Scope {
                region: "us-east-1",
                service: "service",
                time: suite_time(),
            },
        )
        .expect("signs");
        let auth = header(&h, "authorization").expect("authorization");
        assert!(
            auth.ends_with(
                "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
            ),
            "{auth}"
        );
    }

    #[test]
    fn bedrock_request_is_signed_deterministically_with_session_token() {
        let creds = AwsCredentials {
            session_token: Some("TOKEN".into()),
            ..example_creds()
        };
        let url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke";
        let body = br#"{"anthropic_version":"bedrock-2023-05-31"}"#;
        let headers = [("content-type", "application/json")];
        let a = signature_headers(
            "POST",
            url,
            &headers,
            body,
            &creds,
            Scope {
                region: "us-east-1",
                service: "bedrock",
                time: suite_time(),
            },
        )
        .expect("signs");
        let b = signature_headers(
            "POST",
            url,
            &headers,
            body,
            &creds,
            Scope {
                region: "us-east-1",
                service: "bedrock",
                time: suite_time(),
            },
        )
        .expect("signs");
        assert_eq!(a, b);
        assert_eq!(header(&a, "x-amz-security-token"), Some("TOKEN"));
        let auth = header(&a, "authorization").expect("authorization");
        assert!(auth.contains("/us-east-1/bedrock/aws4_request"), "{auth}");
        assert!(
            auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"),
            "{auth}"
        );
        let other = signature_headers(
            "POST",
            url,
            &headers,
            b"{}",
            &creds,
            Scope {
                region: "us-east-1",
                service: "bedrock",
                time: suite_time(),
            },
        )
        .expect("signs");
        assert_ne!(
            header(&other, "authorization"),
            Some(auth),
            "body is signed"
        );
    }

    #[test]
    fn refuses_a_url_without_host() {
        assert!(signature_headers(
            "POST",
            "/model/x/invoke",
            &[],
            b"",
            &example_creds(),
            Scope {
                region: "us-east-1",
                service: "bedrock",
                time: suite_time()
            },
        )
        .is_err());
    }
}
