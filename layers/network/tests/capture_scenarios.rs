//! Extraction from captures built in the test: every link type, both file
//! formats and byte orders, TCP reassembly cases, QUIC v1/v2, DNS and HTTP.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod capture_build;

use capture_build::*;
use guard_network::capture::{
    scan_reader, CaptureError, CaptureSummary, EventKind, NameSource, Protocol, ScanOptions,
};

fn scan_bytes(b: &[u8]) -> Result<CaptureSummary, CaptureError> {
    scan_reader(
        std::io::Cursor::new(b.to_vec()),
        "test.pcap",
        &ScanOptions::default(),
        &mut |_| {},
    )
}

fn events(s: &CaptureSummary) -> Vec<(String, u64, String)> {
    s.events
        .iter()
        .map(|e| (e.kind.as_str().to_string(), e.frame, e.name.clone()))
        .collect()
}

fn hello_stream(sni: &str, pad: usize, record_max: usize) -> Vec<u8> {
    records(&client_hello(Some(sni), pad), record_max)
}

fn conn_frames(sni: &str) -> Vec<Vec<u8>> {
    let c = Conn::new("10.0.0.1", 40000, "160.79.104.10", 443);
    c.frames(&[(0, hello_stream(sni, 50, 16384))])
}

#[test]
fn every_link_type_gives_the_sni() {
    let l3 = conn_frames("api.anthropic.com");
    let cases: Vec<(u32, Vec<Vec<u8>>)> = vec![
        (1, l3.iter().map(|f| ether(&[], f)).collect()),
        (1, l3.iter().map(|f| ether(&[0x8100], f)).collect()),
        (1, l3.iter().map(|f| ether(&[0x88a8, 0x8100], f)).collect()),
        (1, l3.iter().map(|f| ether(&[0x9100, 0x8100], f)).collect()),
        (113, l3.iter().map(|f| sll(f)).collect()),
        (276, l3.iter().map(|f| sll2(f)).collect()),
        (0, l3.iter().map(|f| null(f)).collect()),
        (101, l3.clone()),
        (12, l3.clone()),
        (228, l3.clone()),
    ];
    for (lt, frames) in cases {
        let s = scan_bytes(&pcap(lt, &frames, &LE_MICRO)).unwrap();
        assert_eq!(
            events(&s),
            vec![("tls-sni".into(), 4, "api.anthropic.com".into())],
            "link type {lt}"
        );
        assert_eq!(s.destinations.len(), 1);
        let d = &s.destinations[0];
        assert_eq!(
            (
                d.name.as_str(),
                d.protocol,
                d.port,
                d.packets,
                d.first_frame
            ),
            ("api.anthropic.com", Protocol::Tls, 443, 5, 1)
        );
    }
}

#[test]
fn pcap_byte_orders_and_nanosecond_magic() {
    let frames: Vec<_> = conn_frames("a.example")
        .iter()
        .map(|f| ether(&[], f))
        .collect();
    for be in [false, true] {
        for nanos in [false, true] {
            let b = pcap(
                1,
                &frames,
                &PcapOpts {
                    big_endian: be,
                    nanos,
                    snaplen_cut: None,
                },
            );
            let s = scan_bytes(&b).unwrap();
            assert_eq!(s.events.len(), 1, "be={be} nanos={nanos}");
            assert_eq!(s.format, "pcap");
        }
    }
}

#[test]
fn pcapng_interfaces_blocks_and_byte_orders() {
    let v4 = conn_frames("v4.example");
    let c6 = Conn::new("2001:db8::1", 40001, "2001:db8::2", 443);
    let v6 = c6.frames(&[(0, hello_stream("v6.example", 0, 16384))]);
    for be in [false, true] {
        let mut b = shb(be);
        b.extend(idb(be, 1)); // interface 0: Ethernet
        b.extend(block(be, 0x0000_0bad, &[1, 2, 3, 4])); // unknown block: skipped
        b.extend(idb(be, 101)); // interface 1: raw IP
        for f in &v4 {
            b.extend(epb(be, 0, &ether(&[], f)));
        }
        for (i, f) in v6.iter().enumerate() {
            b.extend(if i % 2 == 0 {
                epb(be, 1, f)
            } else {
                opb(be, 1, f)
            });
        }
        // Simple packet blocks use interface 0.
        b.extend(spb(
            be,
            &ether(
                &[],
                &ip_packet(
                    ip("10.0.0.9"),
                    ip("10.0.0.53"),
                    17,
                    &udp(5555, 53, &dns_query(1, "x.example", 28)),
                ),
            ),
        ));
        let s = scan_bytes(&b).unwrap();
        assert_eq!(s.format, "pcapng");
        assert_eq!(
            events(&s),
            vec![
                ("tls-sni".into(), 4, "v4.example".into()),
                ("tls-sni".into(), 9, "v6.example".into()),
                ("dns-query".into(), 11, "x.example".into()),
            ],
            "big endian {be}"
        );
    }
}

#[test]
fn clienthello_split_over_segments_records_out_of_order_and_retransmitted() {
    let stream = hello_stream("split.anthropic.com", 1800, 300);
    let c = Conn::new("10.0.0.1", 40000, "10.0.0.2", 8443);
    // Segments of 7 bytes, sent in reverse order, with a retransmission of
    // the first and an overlapping segment.
    let mut segs = split(&stream, 7);
    segs.reverse();
    segs.push((0, stream[..20].to_vec()));
    segs.push((3, stream[3..30].to_vec()));
    let frames: Vec<_> = c.frames(&segs).iter().map(|f| ether(&[], f)).collect();
    let s = scan_bytes(&pcap(1, &frames, &LE_MICRO)).unwrap();
    let ev = events(&s);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].2, "split.anthropic.com");
    // It completes when the segment holding byte 0 arrives: the last reversed one.
    assert_eq!(ev[0].1, 3 + split(&stream, 7).len() as u64);
}

#[test]
fn flow_without_syn_and_sequence_wraparound() {
    let stream = hello_stream("wrap.example", 2000, 16384);
    let mut c = Conn::new("10.0.0.1", 40000, "10.0.0.2", 443);
    c.isn = u32::MAX - 100; // sequence numbers wrap inside the ClientHello
    let mut frames = c.frames(&split(&stream, 500));
    let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
    assert_eq!(events(&s)[0].2, "wrap.example");
    frames.drain(..3); // capture started after the handshake
    let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
    assert_eq!(events(&s)[0].2, "wrap.example");
}

#[test]
fn quic_v1_and_v2_initials_with_crypto_over_several_packets() {
    for version in [QUIC_V1, QUIC_V2] {
        let hello = client_hello(Some("quic.anthropic.com"), 1500);
        let odcid = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
        // Second half first, in a packet whose header DCID is the server's
        // chosen one: keys still come from the first DCID.
        let p1 = quic_initial(version, &odcid, &odcid, 0, &[(1000, &hello[1000..])]);
        let p2 = quic_initial(version, &odcid, &[1, 2, 3, 4, 5], 1, &[(0, &hello[..1000])]);
        let mk = |p: &[u8]| ip_packet(ip("10.0.0.1"), ip("10.0.0.2"), 17, &udp(50000, 4433, p));
        let frames = vec![mk(&p1), mk(&p2)];
        let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
        assert_eq!(
            events(&s),
            vec![("quic-sni".into(), 2, "quic.anthropic.com".into())],
            "version {version:x}"
        );
        assert_eq!(s.destinations[0].protocol, Protocol::Quic);
    }
}

#[test]
fn quic_after_retry_uses_the_new_dcid() {
    let hello = client_hello(Some("retry.example"), 0);
    let first = quic_initial(QUIC_V1, &[1; 8], &[1; 8], 0, &[(0, &hello[..10])]);
    let after_retry = quic_initial(QUIC_V1, &[2; 8], &[2; 8], 1, &[(0, &hello)]);
    let mk = |p: &[u8]| ip_packet(ip("10.0.0.1"), ip("10.0.0.2"), 17, &udp(50000, 443, p));
    let s = scan_bytes(&pcap(101, &[mk(&first), mk(&after_retry)], &LE_MICRO)).unwrap();
    assert_eq!(
        events(&s),
        vec![("quic-sni".into(), 2, "retry.example".into())]
    );
}

#[test]
fn dns_udp_tcp_and_names_for_later_connections() {
    let q = dns_query(7, "api.anthropic.com", 1);
    let a = dns_answer_a(7, "api.anthropic.com", [160, 79, 104, 10]);
    let mut tcp_dns = (q.len() as u16).to_be_bytes().to_vec();
    tcp_dns.extend_from_slice(&dns_query(8, "c2.tunnel.example", 16));
    let tc = Conn::new("10.0.0.1", 40002, "10.0.0.53", 53);
    let mut frames = vec![
        ip_packet(ip("10.0.0.1"), ip("10.0.0.53"), 17, &udp(5000, 53, &q)),
        ip_packet(ip("10.0.0.53"), ip("10.0.0.1"), 17, &udp(53, 5000, &a)),
    ];
    // A connection to the answered address without SNI: named by the answer.
    let plain = Conn::new("10.0.0.1", 40003, "160.79.104.10", 443);
    frames.extend(plain.frames(&[(0, b"\x00\x01binary".to_vec())]));
    // And one to an address nobody resolved.
    let bare = Conn::new("10.0.0.1", 40004, "203.0.113.9", 8080);
    frames.extend(bare.frames(&[(0, b"\x00\x01binary".to_vec())]));
    frames.extend(tc.frames(&[(0, tcp_dns)]));
    let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
    let dns: Vec<_> = s
        .events
        .iter()
        .filter(|e| e.kind == EventKind::DnsQuery)
        .map(|e| (e.name.clone(), e.qtype))
        .collect();
    assert_eq!(
        dns,
        vec![
            ("api.anthropic.com".into(), Some(1)),
            ("c2.tunnel.example".into(), Some(16))
        ]
    );
    let by_name: Vec<_> = s
        .destinations
        .iter()
        .map(|d| (d.name.as_str(), d.source, d.protocol, d.port))
        .collect();
    assert!(
        by_name.contains(&(
            "api.anthropic.com",
            NameSource::DnsAnswer,
            Protocol::Tcp,
            443
        )),
        "{by_name:?}"
    );
    assert!(
        by_name.contains(&("203.0.113.9", NameSource::Address, Protocol::Tcp, 8080)),
        "{by_name:?}"
    );
    assert!(
        by_name.contains(&("10.0.0.53", NameSource::Address, Protocol::Dns, 53)),
        "{by_name:?}"
    );
}

#[test]
fn http_host_connect_and_tunnelled_tls() {
    let c = Conn::new("10.0.0.1", 40000, "10.0.0.3", 3128);
    let mut data =
        b"CONNECT api.anthropic.com:443 HTTP/1.1\r\nHost: api.anthropic.com:443\r\n\r\n".to_vec();
    data.extend_from_slice(&hello_stream("api.anthropic.com", 0, 16384));
    let frames = c.frames(&split(&data, 40));
    let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
    let ev = events(&s);
    assert_eq!(ev[0].0, "http-host");
    assert_eq!(ev[0].2, "api.anthropic.com:443");
    assert_eq!(ev[1].0, "tls-sni");
    assert_eq!(s.events[0].method.as_deref(), Some("CONNECT"));
}

#[test]
fn flow_limits_keep_memory_bounded() {
    // 3000 connections whose ClientHellos never complete, with tiny limits.
    let mut frames = Vec::new();
    for i in 0..3000u32 {
        let c = Conn::new(
            &format!("10.1.{}.{}", i / 250, i % 250 + 1),
            40000,
            "10.0.0.2",
            443,
        );
        frames.extend(c.frames(&[(0, hello_stream("x.example", 3000, 16384)[..1000].to_vec())]));
    }
    let opts = ScanOptions {
        max_flows: 100,
        max_buffered: 64 * 1024,
        ..ScanOptions::default()
    };
    let s = scan_reader(
        std::io::Cursor::new(pcap(101, &frames, &LE_MICRO)),
        "t",
        &opts,
        &mut |_| {},
    )
    .unwrap();
    assert!(s.counters.evicted_flows > 0);
    let total: u64 = s.destinations.iter().map(|d| d.flows).sum();
    assert_eq!(total, 3000, "every flow is counted once, evicted or not");
}

#[test]
fn tiny_out_of_order_segments_count_against_the_memory_budget() {
    // 300 flows that each hold 400 one-byte segments after a gap: the
    // per-segment overhead makes the global budget evict flows.
    let mut frames = Vec::new();
    for i in 0..300u32 {
        let c = Conn::new(
            &format!("10.2.{}.{}", i / 250, i % 250 + 1),
            40000,
            "10.0.0.2",
            443,
        );
        frames.push(c.syn());
        for off in (1..400u32).rev() {
            frames.push(c.c2s(off, PSH_ACK, &[0x16]));
        }
    }
    let opts = ScanOptions {
        max_buffered: 256 * 1024,
        ..ScanOptions::default()
    };
    let s = scan_reader(
        std::io::Cursor::new(pcap(101, &frames, &LE_MICRO)),
        "t",
        &opts,
        &mut |_| {},
    )
    .unwrap();
    assert!(s.counters.evicted_flows > 0, "{:?}", s.counters);
    assert!(s
        .warnings
        .iter()
        .any(|w| w.contains("evicted to bound memory")));
}

#[test]
fn dns_answer_table_is_capped_with_a_warning() {
    let mut frames = Vec::new();
    for i in 0..50u16 {
        let a = dns_answer_a(i, &format!("h{i}.example"), [192, 0, 2, i as u8]);
        frames.push(ip_packet(
            ip("10.0.0.53"),
            ip("10.0.0.1"),
            17,
            &udp(53, 5000, &a),
        ));
    }
    let opts = ScanOptions {
        max_dns_answers: 10,
        ..ScanOptions::default()
    };
    let s = scan_reader(
        std::io::Cursor::new(pcap(101, &frames, &LE_MICRO)),
        "t",
        &opts,
        &mut |_| {},
    )
    .unwrap();
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("too many DNS answers")),
        "{:?}",
        s.warnings
    );
}

/// IPv4 fragments of `ip` (a whole IPv4 packet with a 20-byte header), each
/// carrying `n` payload bytes (a multiple of 8).
fn fragments(ip: &[u8], n: usize) -> Vec<Vec<u8>> {
    let body = &ip[20..];
    let chunks: Vec<_> = body.chunks(n).collect();
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut h = ip[..20].to_vec();
            h[2..4].copy_from_slice(&((20 + c.len()) as u16).to_be_bytes());
            let more = if i + 1 < chunks.len() { 0x2000 } else { 0 };
            h[6..8].copy_from_slice(&(more | ((i * n / 8) as u16)).to_be_bytes());
            h.extend_from_slice(c);
            h
        })
        .collect()
}

#[test]
fn ipv4_fragments_are_reassembled_in_any_order() {
    let q = dns_query(4, &format!("{}.frag.example", "a".repeat(60)), 16);
    let whole = ip_packet(ip("10.0.0.1"), ip("10.0.0.53"), 17, &udp(5000, 53, &q));
    let mut frags = fragments(&whole, 24);
    assert!(frags.len() > 2);
    frags.reverse();
    let dup = frags[1].clone();
    frags.insert(0, dup); // a duplicate fragment too
    let n = frags.len() as u64;
    let s = scan_bytes(&pcap(101, &frags, &LE_MICRO)).unwrap();
    assert_eq!(s.events.len(), 1, "{:?}", s.warnings);
    assert_eq!(
        s.events[0].frame, n,
        "reported at the frame that completes it"
    );
    assert!(s.events[0].name.ends_with(".frag.example"));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // Missing a middle fragment: nothing invented, a warning instead.
    let mut frags = fragments(&whole, 24);
    frags.remove(1);
    let s = scan_bytes(&pcap(101, &frags, &LE_MICRO)).unwrap();
    assert!(s.events.is_empty());
    assert!(
        s.warnings.iter().any(|w| w.contains("not reassembled")),
        "{:?}",
        s.warnings
    );
}
