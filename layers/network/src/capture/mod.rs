//! Offline packet-capture reading: pcap and pcapng, link/IP/TCP/UDP decoding,
//! TCP reassembly, and extraction of the destinations a host talked to (TLS
//! and QUIC SNI, DNS queries, HTTP Host headers, connections to bare IPs).
//!
//! Everything streams: the file is read in chunks, per-flow state is capped
//! and flows are evicted past a limit, so memory stays bounded whatever the
//! capture size.

pub mod audit;
pub mod decode;
mod defrag;
pub mod dns;
mod flow;
pub mod http;
#[cfg(target_os = "linux")]
pub mod live;
pub mod quic;
pub mod reader;
pub mod rules;
mod scanner;
pub mod tls;

use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::path::Path;

pub use decode::Transport;
pub use scanner::scan_reader;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The OS error is part of the message (not a `source`), so it is printed once.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: byte {offset}: expected {expected}")]
    Format {
        path: String,
        offset: u64,
        expected: String,
    },
}

/// Limits; the defaults keep a scan under ~100 MB whatever the input.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Flows tracked at once; older ones are folded into the totals.
    pub max_flows: usize,
    /// Bytes buffered for reassembly per direction of a flow.
    pub max_flow_bytes: usize,
    /// Bytes buffered for reassembly across all flows.
    pub max_buffered: usize,
    /// Events kept in the summary (all are counted and passed to the sink).
    pub max_events: usize,
    /// Distinct destinations and DNS names kept.
    pub max_destinations: usize,
    /// Address-to-name entries remembered from DNS answers.
    pub max_dns_answers: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_flows: 32_768,
            max_flow_bytes: 64 * 1024,
            max_buffered: 48 << 20,
            max_events: 100_000,
            max_destinations: 20_000,
            max_dns_answers: 100_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    TlsSni,
    QuicSni,
    DnsQuery,
    /// Multicast DNS (UDP 5353): local name service, kept apart from DNS.
    MdnsQuery,
    HttpHost,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::TlsSni => "tls-sni",
            EventKind::QuicSni => "quic-sni",
            EventKind::DnsQuery => "dns-query",
            EventKind::MdnsQuery => "mdns-query",
            EventKind::HttpHost => "http-host",
        }
    }
}

/// One thing a packet (or reassembled stream) said about where it was going.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Frame that completed it (the last segment of a reassembled message).
    pub frame: u64,
    pub kind: EventKind,
    /// SNI, DNS query name or HTTP Host value, as sent.
    pub name: String,
    /// DNS query type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qtype: Option<u16>,
    /// HTTP method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The ClientHello carries an encrypted_client_hello extension.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ech: bool,
    pub src: IpAddr,
    pub sport: u16,
    pub dst: IpAddr,
    pub dport: u16,
    pub transport: Transport,
}

impl Serialize for Transport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How a destination was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// TLS over TCP, named by SNI.
    Tls,
    /// QUIC, named by the SNI of its Initial.
    Quic,
    /// Cleartext HTTP, named by Host (or a CONNECT target).
    Http,
    /// DNS to a resolver, named by the resolver's address.
    Dns,
    /// TCP with neither SNI nor Host; named by an earlier DNS answer or the address.
    Tcp,
    /// Other UDP; named by an earlier DNS answer or the address.
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tls => "tls",
            Protocol::Quic => "quic",
            Protocol::Http => "http",
            Protocol::Dns => "dns",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// Where a destination's name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameSource {
    Sni,
    HttpHost,
    /// A DNS answer seen earlier in the capture mapped the address to this name.
    DnsAnswer,
    /// No name at all: the connection went to a bare address.
    Address,
}

/// Traffic to one destination (name or address, protocol, server port).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    /// Lower-cased name without a trailing dot, or the address.
    pub name: String,
    pub source: NameSource,
    pub protocol: Protocol,
    pub port: u16,
    /// Server address of the first flow.
    pub address: IpAddr,
    pub packets: u64,
    pub flows: u64,
    pub first_frame: u64,
    /// A ClientHello carried encrypted_client_hello: the SNI is only the
    /// outer (public) name and the real host is hidden.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ech: bool,
}

/// A DNS name asked for, with its query types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsName {
    pub name: String,
    pub qtypes: Vec<u16>,
    pub queries: u64,
    pub first_frame: u64,
    /// Resolver of the first query.
    pub resolver: IpAddr,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counters {
    pub frames: u64,
    pub bytes: u64,
    pub truncated_frames: u64,
    pub ip_fragments: u64,
    pub non_ip: u64,
    pub other_transport: u64,
    pub malformed: u64,
    pub evicted_flows: u64,
    pub flow_cap_hits: u64,
    pub quic_undecrypted: u64,
}

/// What a scan found. Read back from JSON (as from a worker process), the
/// events are left out: the audit works from the totals.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaptureSummary {
    pub path: String,
    /// `pcap` or `pcapng`.
    pub format: String,
    pub counters: Counters,
    /// The first `max_events` events, in frame order.
    #[serde(skip_deserializing, default)]
    pub events: Vec<Event>,
    pub events_total: u64,
    /// Sorted by first frame.
    pub destinations: Vec<Destination>,
    pub dns_names: Vec<DnsName>,
    /// Human-readable notes: unknown link types, cut records, bogus lengths.
    pub warnings: Vec<String>,
}

/// Scans the capture at `path`.
pub fn scan(path: &Path, opts: &ScanOptions) -> Result<CaptureSummary, CaptureError> {
    scan_with(path, opts, &mut |_| {})
}

/// Scans the capture at `path`, passing every event to `sink` as it is found.
pub fn scan_with(
    path: &Path,
    opts: &ScanOptions,
    sink: &mut dyn FnMut(&Event),
) -> Result<CaptureSummary, CaptureError> {
    let name = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| CaptureError::Io {
        path: name.clone(),
        error: e,
    })?;
    scan_reader(f, &name, opts, sink)
}

/// Lower-case, no trailing dot: the form names are compared in.
pub fn normalize_name(n: &str) -> String {
    n.trim_end_matches('.').to_ascii_lowercase()
}
