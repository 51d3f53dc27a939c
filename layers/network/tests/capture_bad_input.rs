//! Bad captures: truncated files, wrong magic, snaplen-cut packets, bogus
//! lengths in TLS and DNS, 0-length and enormous pcapng blocks. A clear error
//! (file, byte offset, what was expected) or findings that go on; never a panic.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod capture_build;

use capture_build::*;
use guard_network::capture::{scan_reader, CaptureError, CaptureSummary, ScanOptions};

fn scan_bytes(b: &[u8]) -> Result<CaptureSummary, CaptureError> {
    scan_reader(
        std::io::Cursor::new(b.to_vec()),
        "bad.pcap",
        &ScanOptions::default(),
        &mut |_| {},
    )
}

fn good_frames() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for (i, name) in ["one.example", "two.example"].iter().enumerate() {
        let c = Conn::new("10.0.0.1", 40000 + i as u16, "10.0.0.2", 443);
        v.extend(c.frames(&[(0, records(&client_hello(Some(name), 100), 16384))]));
    }
    v
}

#[test]
fn wrong_magic_is_an_error_with_offset() {
    let e = scan_bytes(b"GIF89a not a capture").unwrap_err().to_string();
    assert!(e.contains("bad.pcap: byte 0: expected a pcap"), "{e}");
    assert!(e.contains("found 47494638"), "{e}");
    let e = scan_bytes(b"\xd4\xc3").unwrap_err().to_string();
    assert!(e.contains("shorter than 4 bytes"), "{e}");
    let e = scan_bytes(&[]).unwrap_err().to_string();
    assert!(e.contains("byte 0"), "{e}");
}

#[test]
fn truncated_file_header_is_an_error() {
    let b = pcap(101, &good_frames(), &LE_MICRO);
    let e = scan_bytes(&b[..20]).unwrap_err().to_string();
    assert!(e.contains("complete 24-byte pcap file header"), "{e}");
}

#[test]
fn truncated_at_every_length_never_panics_and_keeps_earlier_findings() {
    let b = pcap(101, &good_frames(), &LE_MICRO);
    let mut last = 0;
    for n in 24..b.len() {
        let s = scan_bytes(&b[..n]).unwrap();
        assert!(s.counters.frames >= last, "n={n}");
        last = s.counters.frames;
    }
    // Cut in the middle of the last FIN record: both SNIs are still found.
    let s = scan_bytes(&b[..b.len() - 5]).unwrap();
    assert_eq!(s.events.len(), 2);
    assert!(
        s.warnings.iter().any(|w| w.contains("cut short at byte")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn snaplen_cut_packets_are_counted_and_do_not_break_reassembly() {
    let frames = good_frames();
    let s = scan_bytes(&pcap(
        101,
        &frames,
        &PcapOpts {
            big_endian: false,
            nanos: false,
            snaplen_cut: Some(96),
        },
    ))
    .unwrap();
    assert!(s.counters.truncated_frames > 0);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("cut by the snapshot length")),
        "{:?}",
        s.warnings
    );
    assert!(
        s.events.is_empty(),
        "a cut ClientHello gives no invented SNI"
    );
}

#[test]
fn absurd_pcap_record_length_is_an_error_with_offset() {
    let mut b = pcap(101, &good_frames(), &LE_MICRO);
    b[24 + 8..24 + 12].copy_from_slice(&0xfff0_0000u32.to_le_bytes());
    let e = scan_bytes(&b).unwrap_err().to_string();
    assert!(
        e.contains("byte 32: expected a packet length (incl_len) of at most"),
        "{e}"
    );
    // After good records, the same corruption stops reading with a warning.
    let mut b = pcap(101, &good_frames(), &LE_MICRO);
    let first = 24 + 16 + good_frames()[0].len();
    b[first + 8..first + 12].copy_from_slice(&0xfff0_0000u32.to_le_bytes());
    let s = scan_bytes(&b).unwrap();
    assert_eq!(s.counters.frames, 1);
    assert!(
        s.warnings.iter().any(|w| w.contains("reading stopped")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn pcapng_zero_length_and_enormous_blocks() {
    let frames = good_frames();
    // A block claiming length 0.
    let mut b = shb(false);
    b.extend(idb(false, 101));
    b.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let e = scan_bytes(&b).unwrap_err().to_string();
    assert!(
        e.contains("block total length that is a multiple of 4 and at least 12, found 0"),
        "{e}"
    );

    // An enormous (unknown) block between packets is skipped without being held.
    let mut b = shb(false);
    b.extend(idb(false, 101));
    b.extend(epb(false, 0, &frames[3]));
    b.extend(block(false, 0x0000_0bad, &vec![0u8; 20 << 20]));
    for f in &frames[4..] {
        b.extend(epb(false, 0, f));
    }
    let s = scan_bytes(&b).unwrap();
    assert!(
        s.warnings.iter().any(|w| w.contains("over 16 MiB skipped")),
        "{:?}",
        s.warnings
    );
    assert_eq!(
        s.events.len(),
        2,
        "the second connection, after the big block, is read too"
    );

    // A block that claims to be enormous but the file ends: cut short, not an error.
    let mut b = shb(false);
    b.extend(idb(false, 101));
    b.extend(epb(false, 0, &frames[3]));
    b.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0x40]);
    b.extend_from_slice(&[0; 64]);
    let s = scan_bytes(&b).unwrap();
    assert!(
        s.warnings.iter().any(|w| w.contains("cut")),
        "{:?}",
        s.warnings
    );

    // Mismatched trailing length.
    let mut b = shb(false);
    let mut e = epb(false, 0, &frames[0]);
    let n = e.len();
    e[n - 1] = 0x7f;
    b.extend(idb(false, 101));
    b.extend(e);
    let err = scan_bytes(&b).unwrap_err().to_string();
    assert!(err.contains("trailing block length"), "{err}");

    // A captured length beyond the block.
    let mut b = shb(false);
    let mut e = epb(false, 0, &frames[0]);
    e[20..24].copy_from_slice(&9999u32.to_le_bytes());
    b.extend(idb(false, 101));
    b.extend(e);
    let err = scan_bytes(&b).unwrap_err().to_string();
    assert!(err.contains("captured length within the block"), "{err}");

    // Bad byte-order magic.
    let mut b = shb(false);
    b[8] = 0;
    let err = scan_bytes(&b).unwrap_err().to_string();
    assert!(
        err.contains("byte 8: expected a section header byte-order magic"),
        "{err}"
    );
}

#[test]
fn bogus_tls_lengths_warn_and_other_flows_continue() {
    let bad = Conn::new("10.0.0.1", 41000, "10.0.0.2", 443);
    // Record claims 0xffff bytes; handshake claims 16 MB; extension lengths lie.
    let mut hs = client_hello(Some("liar.example"), 0);
    hs[1] = 0xff;
    let mut frames = bad.frames(&[(0, records(&hs, 16384))]);
    let bad2 = Conn::new("10.0.0.1", 41001, "10.0.0.2", 443);
    frames.extend(bad2.frames(&[(0, vec![0x16, 3, 1, 0xff, 0xff, 1, 2, 3])]));
    let mut hs3 = client_hello(Some("ext.example"), 0);
    let l = hs3.len();
    hs3[l - 2] = 0xff; // padding extension length past the end
    let bad3 = Conn::new("10.0.0.1", 41002, "10.0.0.2", 443);
    frames.extend(bad3.frames(&[(0, records(&hs3, 16384))]));
    frames.extend(good_frames());
    let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
    let names: Vec<_> = s.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["one.example", "two.example"]);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("TLS record header with a bad version or length")),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("ClientHello field runs past")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn bogus_dns_lengths_and_pointer_loops_warn() {
    let mut q = dns_query(1, "a.example", 1);
    q[5] = 9; // nine questions, one present
    let mut lp = vec![0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    lp.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
    let frames: Vec<_> = [q, lp, vec![1, 2, 3], dns_query(3, "ok.example", 28)]
        .iter()
        .map(|m| ip_packet(ip("10.0.0.1"), ip("10.0.0.53"), 17, &udp(5000, 53, m)))
        .collect();
    let s = scan_bytes(&pcap(101, &frames, &LE_MICRO)).unwrap();
    let names: Vec<_> = s.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["ok.example"]);
    let w = s.warnings.join("\n");
    assert!(w.contains("compression pointers loop"), "{w}");
    assert!(w.contains("shorter than its counts"), "{w}");
}

#[test]
fn random_bytes_after_a_valid_header_never_panic() {
    // Deterministic pseudo-random garbage through every link type.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for lt in [0u32, 1, 9, 12, 101, 108, 113, 228, 229, 239, 276, 147] {
        let frames: Vec<Vec<u8>> = (0..200)
            .map(|i| {
                (0..(i % 90))
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x as u8
                    })
                    .collect()
            })
            .collect();
        let s = scan_bytes(&pcap(lt, &frames, &LE_MICRO)).unwrap();
        assert_eq!(s.counters.frames, 200);
    }
}
