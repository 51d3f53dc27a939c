//! Whole-file capture parsing: any bytes give an error or a summary, never a
//! panic, hang or unbounded allocation. The first byte picks a file prefix so
//! the fuzzer reaches packet decoding quickly (pcap with several link types,
//! pcapng) as well as raw file headers.
#![no_main]

use guard_network::capture::{scan_reader, ScanOptions};
use libfuzzer_sys::fuzz_target;

fn pcap_header(linktype: u32) -> Vec<u8> {
    let mut v = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0];
    v.extend_from_slice(&linktype.to_le_bytes());
    v
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let mut input = match sel % 8 {
        0 => Vec::new(),
        1 => pcap_header(1),
        2 => pcap_header(101),
        3 => pcap_header(113),
        4 => pcap_header(276),
        5 => pcap_header(0),
        6 => pcap_header(239),
        _ => {
            // pcapng section header + Ethernet interface
            let mut v = vec![0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0];
            v.extend_from_slice(&[0xff; 8]);
            v.extend_from_slice(&[28, 0, 0, 0]);
            v.extend_from_slice(&[1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0]);
            v
        }
    };
    input.extend_from_slice(rest);
    let opts = ScanOptions { max_flows: 64, max_buffered: 1 << 20, ..ScanOptions::default() };
    let _ = scan_reader(std::io::Cursor::new(input), "fuzz", &opts, &mut |_| {});
});
