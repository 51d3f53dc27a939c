//! The provider tables. Sources were checked against the published Claude Code
//! documentation on the date in [`SOURCES_CHECKED`]; hosts marked "inferred"
//! come from how the cloud SDKs behave and are worth confirming with a capture.

use super::{CidrSpec, HostSpec, Profile, RegionKind};

pub const SOURCES_CHECKED: &str = "2026-08-22";

/// api.anthropic.com's published IPv4 range, as a literal so rule texts built
/// at compile time (NET-CAP-002's fix) name the same range as the profiles.
macro_rules! anthropic_api_v4 {
    () => {
        "160.79.104.0/23"
    };
}
pub(crate) use anthropic_api_v4;

const NETCFG: &str = "https://code.claude.com/docs/en/network-config#network-access-requirements";
const DATA_USAGE: &str = "https://code.claude.com/docs/en/data-usage#telemetry-services";
const IPS: &str = "https://platform.claude.com/docs/en/api/ip-addresses";
const BEDROCK: &str = "https://code.claude.com/docs/en/amazon-bedrock";
const VERTEX: &str = "https://code.claude.com/docs/en/google-vertex-ai";
const GATEWAY: &str = "https://code.claude.com/docs/en/llm-gateway";
const AWS_STS: &str = "https://docs.aws.amazon.com/sdkref/latest/guide/feature-sts-regionalized-endpoints.html (inferred from AWS SDK behaviour)";
const AWS_SSO: &str = "https://docs.aws.amazon.com/sdkref/latest/guide/feature-sso-credentials.html (inferred from AWS SDK behaviour)";
const AWS_IMDS: &str = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html (inferred from AWS SDK behaviour)";
const GCP_AUTH: &str = "https://cloud.google.com/docs/authentication/application-default-credentials (inferred from google-auth behaviour)";

const WEBFETCH_OFF: &str = "skipWebFetchPreflight: true in settings (CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC does not cover it)";

/// Hosts every provider mode may reach.
pub static COMMON_HOSTS: &[HostSpec] = &[
    HostSpec {
        host: "downloads.claude.ai",
        group: "auto-update",
        required: false,
        purpose: "native installer, auto-updater and version checks; plugin executable downloads",
        disable: "DISABLE_AUTOUPDATER=1 or DISABLE_UPDATES=1 (install through npm or your own distribution)",
        source: NETCFG,
    },
    HostSpec {
        host: "registry.npmjs.org",
        group: "plugins",
        required: false,
        purpose: "plugin installs, npx MCP servers, npm installs of Claude Code",
        disable: "mirror the npm registry",
        source: NETCFG,
    },
    HostSpec {
        host: "storage.googleapis.com",
        group: "plugins",
        required: false,
        purpose: "/plugin install counts and metadata; native installer before v2.1.116",
        disable: "",
        source: NETCFG,
    },
    HostSpec {
        host: "raw.githubusercontent.com",
        group: "release-notes",
        required: false,
        purpose: "changelog feed for /release-notes",
        disable: "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
        source: NETCFG,
    },
    HostSpec {
        host: "code.claude.com",
        group: "docs",
        required: false,
        purpose: "documentation lookups (claude-code-guide agent, WebFetch)",
        disable: "blocking it only affects documentation lookups",
        source: NETCFG,
    },
    HostSpec {
        host: "formulae.brew.sh",
        group: "homebrew",
        required: false,
        purpose: "update checks on Homebrew installs only",
        disable: "DISABLE_AUTOUPDATER=1",
        source: NETCFG,
    },
    HostSpec {
        host: "bridge.claudeusercontent.com",
        group: "chrome-bridge",
        required: false,
        purpose: "Claude in Chrome WebSocket bridge",
        disable: "",
        source: NETCFG,
    },
    HostSpec {
        host: "*.frame.claudeusercontent.com",
        group: "artifacts",
        required: false,
        purpose: "reading Artifact content",
        disable: "CLAUDE_CODE_DISABLE_ARTIFACT=1 or the disableArtifact setting",
        source: NETCFG,
    },
];

static ANTHROPIC_API_CIDRS: &[CidrSpec] = &[
    CidrSpec {
        cidr: anthropic_api_v4!(),
        group: "api",
        required: true,
        purpose: "api.anthropic.com (published IPv4 range)",
        source: IPS,
    },
    CidrSpec {
        cidr: "2607:6bc0::/48",
        group: "api",
        required: true,
        purpose: "api.anthropic.com (published IPv6 range)",
        source: IPS,
    },
];

static WEBFETCH_CIDRS: &[CidrSpec] = &[
    CidrSpec {
        cidr: anthropic_api_v4!(),
        group: "webfetch-preflight",
        required: false,
        purpose: "api.anthropic.com (published IPv4 range)",
        source: IPS,
    },
    CidrSpec {
        cidr: "2607:6bc0::/48",
        group: "webfetch-preflight",
        required: false,
        purpose: "api.anthropic.com (published IPv6 range)",
        source: IPS,
    },
];

const fn webfetch(purpose: &'static str, source: &'static str) -> HostSpec {
    HostSpec {
        host: "api.anthropic.com",
        group: "webfetch-preflight",
        required: false,
        purpose,
        disable: WEBFETCH_OFF,
        source,
    }
}

static ANTHROPIC_HOSTS: &[HostSpec] = &[
    HostSpec {
        host: "api.anthropic.com",
        group: "api",
        required: true,
        purpose: "Claude API requests; WebFetch domain safety check; feature flags; telemetry event logging",
        disable: "",
        source: NETCFG,
    },
    HostSpec {
        host: "claude.ai",
        group: "sign-in",
        required: false,
        purpose: "claude.ai account sign-in",
        disable: "not needed with an API key (ANTHROPIC_API_KEY) or a third-party provider",
        source: NETCFG,
    },
    HostSpec {
        host: "claude.com",
        group: "sign-in",
        required: false,
        purpose: "browser sign-in page (redirects to claude.ai); pre-approved WebFetch documentation lookups",
        disable: "not needed with an API key (ANTHROPIC_API_KEY) or a third-party provider",
        source: NETCFG,
    },
    HostSpec {
        host: "platform.claude.com",
        group: "sign-in",
        required: false,
        purpose: "Console sign-in; OAuth token exchange, refresh and revocation (also for claude.ai accounts)",
        disable: "not needed with an API key (ANTHROPIC_API_KEY) or a third-party provider",
        source: NETCFG,
    },
    HostSpec {
        host: "http-intake.logs.us5.datadoghq.com",
        group: "telemetry",
        required: false,
        purpose: "operational telemetry (Anthropic API mode only)",
        disable: "DISABLE_TELEMETRY=1, DO_NOT_TRACK=1 or CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
        source: DATA_USAGE,
    },
    HostSpec {
        host: "browser-intake-us5-datadoghq.com",
        group: "error-reporting",
        required: false,
        purpose: "error reports (Anthropic API mode only, server-side rollout gate)",
        disable: "DISABLE_ERROR_REPORTING=1, DISABLE_TELEMETRY=1 or CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
        source: DATA_USAGE,
    },
    HostSpec {
        host: "mcp-proxy.anthropic.com",
        group: "mcp",
        required: false,
        purpose: "claude.ai MCP connectors (on by default for claude.ai users)",
        disable: "ENABLE_CLAUDEAI_MCP_SERVERS=false or the disableClaudeAiConnectors setting",
        source: NETCFG,
    },
];

static BEDROCK_HOSTS: &[HostSpec] = &[
    HostSpec {
        host: "bedrock-runtime.{region}.amazonaws.com",
        group: "bedrock",
        required: true,
        purpose: "InvokeModel and InvokeModelWithResponseStream",
        disable: "",
        source: BEDROCK,
    },
    HostSpec {
        host: "bedrock.{region}.amazonaws.com",
        group: "bedrock",
        required: true,
        purpose:
            "ListInferenceProfiles and GetInferenceProfile (granted by the documented IAM policy)",
        disable: "",
        source: BEDROCK,
    },
    HostSpec {
        host: "sts.{region}.amazonaws.com",
        group: "aws-sts",
        required: false,
        purpose: "AssumeRole and web-identity credentials (regional STS endpoint, the SDK default)",
        disable:
            "a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) or static credentials need no STS call",
        source: AWS_STS,
    },
    HostSpec {
        host: "sts.amazonaws.com",
        group: "aws-sts-global",
        required: false,
        purpose: "global STS endpoint, used when AWS_STS_REGIONAL_ENDPOINTS=legacy",
        disable: "AWS_STS_REGIONAL_ENDPOINTS=regional (the default of current SDKs)",
        source: AWS_STS,
    },
    HostSpec {
        host: "portal.sso.{sso_region}.amazonaws.com",
        group: "aws-sso",
        required: false,
        purpose:
            "IAM Identity Center role credentials (sso_region may differ from the Bedrock region)",
        disable: "not used without an sso_session/sso_start_url profile",
        source: AWS_SSO,
    },
    HostSpec {
        host: "oidc.{sso_region}.amazonaws.com",
        group: "aws-sso",
        required: false,
        purpose: "IAM Identity Center token refresh",
        disable: "not used without an sso_session/sso_start_url profile",
        source: AWS_SSO,
    },
    HostSpec {
        host: "bedrock-mantle.{region}.api.aws",
        group: "mantle",
        required: false,
        purpose: "Messages API on Bedrock Mantle (CLAUDE_CODE_USE_MANTLE=1)",
        disable: "unset CLAUDE_CODE_USE_MANTLE",
        source: BEDROCK,
    },
    webfetch(
        "WebFetch domain safety check, called whatever the provider",
        "https://code.claude.com/docs/en/data-usage#default-behaviors-by-api-provider",
    ),
];

static BEDROCK_CIDRS: &[CidrSpec] = &[
    CidrSpec {
        cidr: "169.254.169.254/32",
        group: "aws-imds",
        required: false,
        purpose: "EC2 instance metadata credentials (IMDS)",
        source: AWS_IMDS,
    },
    CidrSpec {
        cidr: "fd00:ec2::254/128",
        group: "aws-imds",
        required: false,
        purpose: "EC2 instance metadata credentials (IMDS over IPv6)",
        source: AWS_IMDS,
    },
    CidrSpec {
        cidr: "169.254.170.2/32",
        group: "aws-ecs-credentials",
        required: false,
        purpose: "ECS task role credentials",
        source: AWS_IMDS,
    },
    WEBFETCH_CIDRS[0],
    WEBFETCH_CIDRS[1],
];

static VERTEX_HOSTS: &[HostSpec] = &[
    HostSpec {
        host: "{vertex_endpoint}",
        group: "vertex",
        required: true,
        purpose: "Vertex AI model endpoint for CLOUD_ML_REGION (global, us/eu multi-region, or {region}-aiplatform)",
        disable: "",
        source: VERTEX,
    },
    HostSpec {
        host: "oauth2.googleapis.com",
        group: "vertex",
        required: true,
        purpose: "OAuth access token refresh for Application Default Credentials",
        disable: "CLAUDE_CODE_SKIP_VERTEX_AUTH=1 when a gateway signs requests",
        source: GCP_AUTH,
    },
    HostSpec {
        host: "sts.googleapis.com",
        group: "gcp-federation",
        required: false,
        purpose: "workload identity federation token exchange",
        disable: "not used with service-account keys or user credentials",
        source: GCP_AUTH,
    },
    HostSpec {
        host: "iamcredentials.googleapis.com",
        group: "gcp-federation",
        required: false,
        purpose: "service-account impersonation",
        disable: "not used without impersonation",
        source: GCP_AUTH,
    },
    HostSpec {
        host: "metadata.google.internal",
        group: "gcp-metadata",
        required: false,
        purpose: "credentials from the GCE/GKE metadata server",
        disable: "not used outside Google Cloud compute",
        source: GCP_AUTH,
    },
    webfetch(
        "WebFetch domain safety check, called whatever the provider",
        "https://code.claude.com/docs/en/data-usage#default-behaviors-by-api-provider",
    ),
];

static VERTEX_CIDRS: &[CidrSpec] = &[
    CidrSpec {
        cidr: "169.254.169.254/32",
        group: "gcp-metadata",
        required: false,
        purpose: "GCE/GKE metadata server",
        source: GCP_AUTH,
    },
    WEBFETCH_CIDRS[0],
    WEBFETCH_CIDRS[1],
];

static GATEWAY_HOSTS: &[HostSpec] = &[
    HostSpec {
        host: "{gateway}",
        group: "gateway",
        required: true,
        purpose: "the LLM gateway or proxy given by ANTHROPIC_BASE_URL",
        disable: "",
        source: GATEWAY,
    },
    webfetch(
        "WebFetch domain safety check and the fast-mode availability check",
        GATEWAY,
    ),
];

pub static PROFILES: &[Profile] = &[
    Profile {
        id: "anthropic",
        name: "Anthropic API",
        selected_by: "default (ANTHROPIC_API_KEY or claude.ai / Console sign-in)",
        region_kind: RegionKind::None,
        default_region: None,
        hosts: ANTHROPIC_HOSTS,
        cidrs: ANTHROPIC_API_CIDRS,
        notes: &[
            concat!(
                "api.anthropic.com has published ranges (",
                anthropic_api_v4!(),
                ", 2607:6bc0::/48): firewalls use them instead of resolving once."
            ),
            "statsig.anthropic.com and sentry.io are no longer used (telemetry moved to Datadog hosts); drop them from old allowlists.",
        ],
    },
    Profile {
        id: "bedrock",
        name: "Amazon Bedrock",
        selected_by: "CLAUDE_CODE_USE_BEDROCK=1; region from AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1",
        region_kind: RegionKind::Aws,
        default_region: Some("us-east-1"),
        hosts: BEDROCK_HOSTS,
        cidrs: BEDROCK_CIDRS,
        notes: &[
            "The WebFetch domain safety check still calls api.anthropic.com in Bedrock mode; set skipWebFetchPreflight: true or add --with webfetch-preflight.",
            "Cross-region inference profiles (us., eu., apac., global.) are still called at the source-region endpoint.",
            "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION adds a second region: generate with that region too.",
            "ANTHROPIC_BEDROCK_BASE_URL (gateway or VPC endpoint) replaces the bedrock hosts: use --provider gateway.",
        ],
    },
    Profile {
        id: "vertex",
        name: "Google Vertex AI",
        selected_by: "CLAUDE_CODE_USE_VERTEX=1; region from CLOUD_ML_REGION (global, us, eu or a region), default us-east5",
        region_kind: RegionKind::Vertex,
        default_region: Some("us-east5"),
        hosts: VERTEX_HOSTS,
        cidrs: VERTEX_CIDRS,
        notes: &[
            "The WebFetch domain safety check still calls api.anthropic.com in Vertex mode; set skipWebFetchPreflight: true or add --with webfetch-preflight.",
            "VERTEX_REGION_CLAUDE_* overrides add regions: generate with each of them.",
            "ANTHROPIC_VERTEX_BASE_URL (gateway or Private Service Connect) replaces the endpoint: use --provider gateway.",
        ],
    },
    Profile {
        id: "gateway",
        name: "LLM gateway or proxy",
        selected_by: "ANTHROPIC_BASE_URL (or ANTHROPIC_BEDROCK_BASE_URL / ANTHROPIC_VERTEX_BASE_URL) with --gateway-url",
        region_kind: RegionKind::None,
        default_region: None,
        hosts: GATEWAY_HOSTS,
        cidrs: WEBFETCH_CIDRS,
        notes: &[
            "The WebFetch preflight and the fast-mode check still call api.anthropic.com; skipWebFetchPreflight: true plus CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 stop both.",
            "A signed-in Claude apps gateway turns off analytics, error reports and surveys through its credential.",
        ],
    },
];
