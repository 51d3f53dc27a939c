//! IPv4 and IPv6 reassembly, bounded: a DNS answer or a QUIC datagram split by the
//! network is read whole, as tshark does. Datagrams and bytes held are capped;
//! the oldest incomplete datagram goes first.

use super::decode::Fragment;
use std::collections::HashMap;
use std::net::IpAddr;

/// IPv4 datagrams are at most 65535 bytes.
const MAX_DATAGRAM: usize = 65_535;

type Key = (IpAddr, IpAddr, u32, u8);

struct Datagram {
    header: Option<Vec<u8>>,
    parts: Vec<(usize, Vec<u8>)>,
    total: Option<usize>,
    bytes: usize,
    first_frame: u64,
}

pub struct Defrag {
    table: HashMap<Key, Datagram>,
    bytes: usize,
    max_datagrams: usize,
    max_bytes: usize,
    /// Fragments given up on (limits, bogus offsets).
    pub dropped: u64,
    pub reassembled: u64,
    /// Fragments that ended up in a reassembled datagram.
    pub reassembled_fragments: u64,
}

impl Defrag {
    pub fn new(max_datagrams: usize, max_bytes: usize) -> Defrag {
        Defrag {
            table: HashMap::new(),
            bytes: 0,
            max_datagrams,
            max_bytes,
            dropped: 0,
            reassembled: 0,
            reassembled_fragments: 0,
        }
    }

    fn evict_oldest(&mut self) {
        let Some(k) = self
            .table
            .iter()
            .min_by_key(|(_, d)| d.first_frame)
            .map(|(k, _)| *k)
        else {
            return;
        };
        if let Some(d) = self.table.remove(&k) {
            self.bytes -= d.bytes;
            self.dropped += d.parts.len() as u64;
        }
    }

    /// Adds a fragment; returns the whole IP packet once every byte arrived.
    pub fn add(&mut self, f: &Fragment<'_>, frame: u64) -> Option<Vec<u8>> {
        let end = f.offset + f.payload.len();
        if end > MAX_DATAGRAM - f.header.len() || f.payload.len() > self.max_bytes {
            self.dropped += 1;
            return None;
        }
        if !self.table.contains_key(&f.key) && self.table.len() >= self.max_datagrams {
            self.evict_oldest();
        }
        while self.bytes + f.payload.len() > self.max_bytes && !self.table.is_empty() {
            self.evict_oldest();
        }
        let d = self.table.entry(f.key).or_insert_with(|| Datagram {
            header: None,
            parts: Vec::new(),
            total: None,
            bytes: 0,
            first_frame: frame,
        });
        if f.offset == 0 {
            d.header = Some(f.header.to_vec());
        }
        if !f.more {
            d.total = Some(end);
        }
        if d.parts.len() >= 1024 {
            self.dropped += 1;
            return None;
        }
        d.parts.push((f.offset, f.payload.to_vec()));
        d.bytes += f.payload.len();
        self.bytes += f.payload.len();
        let total = d.total?;
        d.header.as_ref()?;
        d.parts.sort_by_key(|p| p.0);
        let mut covered = 0;
        for (o, p) in &d.parts {
            if *o > covered {
                return None;
            }
            covered = covered.max(o + p.len());
        }
        if covered < total {
            return None;
        }
        let d = self.table.remove(&f.key)?;
        self.bytes -= d.bytes;
        let mut out = d.header?;
        let ihl = out.len();
        if out.first().map(|b| b >> 4) == Some(6) {
            // IPv6: the payload length; the header is the fixed one.
            if out.len() < 40 {
                return None;
            }
            out[4..6].copy_from_slice(&(total as u16).to_be_bytes());
        } else {
            if out.len() < 8 {
                return None;
            }
            let len = (ihl + total) as u16;
            out[2..4].copy_from_slice(&len.to_be_bytes());
            out[6] = 0;
            out[7] = 0;
        }
        out.resize(ihl + total, 0);
        // Later copies of a byte never overwrite the first one received.
        let mut filled = 0;
        for (o, p) in &d.parts {
            let from = filled.max(*o);
            let to = (o + p.len()).min(total);
            if from < to {
                out[ihl + from..ihl + to].copy_from_slice(&p[from - o..to - o]);
                filled = to;
            }
        }
        self.reassembled += 1;
        self.reassembled_fragments += d.parts.len() as u64;
        Some(out)
    }
}
