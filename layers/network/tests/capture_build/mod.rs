//! Builds captures in memory for the capture tests: link, IP, TCP/UDP headers
//! around ClientHellos, DNS and HTTP messages, and QUIC Initials encrypted with
//! the RFC 9001 / RFC 9369 key schedule.
#![allow(dead_code, clippy::unwrap_used)]

use aes::cipher::{BlockEncrypt, KeyInit};
use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use std::net::IpAddr;

pub const SYN: u8 = 0x02;
pub const ACK: u8 = 0x10;
pub const PSH_ACK: u8 = 0x18;
pub const FIN_ACK: u8 = 0x11;

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// IPv4 or IPv6 header + transport header + payload.
pub fn ip_packet(src: IpAddr, dst: IpAddr, proto: u8, l4: &[u8]) -> Vec<u8> {
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            let mut v = vec![0x45, 0];
            v.extend_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
            v.extend_from_slice(&[0, 1, 0x40, 0, 64, proto, 0, 0]);
            v.extend_from_slice(&s.octets());
            v.extend_from_slice(&d.octets());
            v.extend_from_slice(l4);
            v
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let mut v = vec![0x60, 0, 0, 0];
            v.extend_from_slice(&(l4.len() as u16).to_be_bytes());
            v.push(proto);
            v.push(64);
            v.extend_from_slice(&s.octets());
            v.extend_from_slice(&d.octets());
            v.extend_from_slice(l4);
            v
        }
        _ => panic!("mixed address families"),
    }
}

pub fn tcp(sport: u16, dport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&seq.to_be_bytes());
    v.extend_from_slice(&0u32.to_be_bytes());
    v.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    v.extend_from_slice(payload);
    v
}

pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(payload);
    v
}

fn ethertype(l3: &[u8]) -> u16 {
    if l3[0] >> 4 == 6 {
        0x86dd
    } else {
        0x0800
    }
}

/// Ethernet with optional VLAN tags (outer first), e.g. `&[0x88a8, 0x8100]`.
pub fn ether(tags: &[u16], l3: &[u8]) -> Vec<u8> {
    let mut v = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
    for (i, t) in tags.iter().enumerate() {
        v.extend_from_slice(&t.to_be_bytes());
        v.extend_from_slice(&[0, (i + 1) as u8]);
    }
    v.extend_from_slice(&ethertype(l3).to_be_bytes());
    v.extend_from_slice(l3);
    v
}

pub fn sll(l3: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
    v.extend_from_slice(&ethertype(l3).to_be_bytes());
    v.extend_from_slice(l3);
    v
}

pub fn sll2(l3: &[u8]) -> Vec<u8> {
    let mut v = ethertype(l3).to_be_bytes().to_vec();
    v.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
    v.extend_from_slice(l3);
    v
}

/// BSD loopback: address family in host (here little-endian) byte order.
pub fn null(l3: &[u8]) -> Vec<u8> {
    let af: u32 = if l3[0] >> 4 == 6 { 30 } else { 2 };
    let mut v = af.to_le_bytes().to_vec();
    v.extend_from_slice(l3);
    v
}

pub struct PcapOpts {
    pub big_endian: bool,
    pub nanos: bool,
    pub snaplen_cut: Option<usize>,
}

pub const LE_MICRO: PcapOpts = PcapOpts {
    big_endian: false,
    nanos: false,
    snaplen_cut: None,
};

pub fn pcap(linktype: u32, frames: &[Vec<u8>], o: &PcapOpts) -> Vec<u8> {
    let w32 = |v: &mut Vec<u8>, x: u32| {
        if o.big_endian {
            v.extend_from_slice(&x.to_be_bytes())
        } else {
            v.extend_from_slice(&x.to_le_bytes())
        }
    };
    let w16 = |v: &mut Vec<u8>, x: u16| {
        if o.big_endian {
            v.extend_from_slice(&x.to_be_bytes())
        } else {
            v.extend_from_slice(&x.to_le_bytes())
        }
    };
    let mut v = Vec::new();
    w32(&mut v, if o.nanos { 0xa1b23c4d } else { 0xa1b2c3d4 });
    w16(&mut v, 2);
    w16(&mut v, 4);
    w32(&mut v, 0);
    w32(&mut v, 0);
    w32(&mut v, 262144);
    w32(&mut v, linktype);
    for (i, f) in frames.iter().enumerate() {
        let cap = o.snaplen_cut.map_or(f.len(), |c| c.min(f.len()));
        w32(&mut v, 1_700_000_000 + i as u32);
        w32(&mut v, 0);
        w32(&mut v, cap as u32);
        w32(&mut v, f.len() as u32);
        v.extend_from_slice(&f[..cap]);
    }
    v
}

/// A pcapng block with its lengths.
pub fn block(be: bool, ty: u32, body: &[u8]) -> Vec<u8> {
    let pad = (4 - body.len() % 4) % 4;
    let total = (12 + body.len() + pad) as u32;
    let w = |x: u32| if be { x.to_be_bytes() } else { x.to_le_bytes() };
    let mut v = Vec::new();
    v.extend_from_slice(&w(ty));
    v.extend_from_slice(&w(total));
    v.extend_from_slice(body);
    v.extend(std::iter::repeat_n(0u8, pad));
    v.extend_from_slice(&w(total));
    v
}

pub fn shb(be: bool) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&if be {
        0x1a2b3c4du32.to_be_bytes()
    } else {
        0x1a2b3c4du32.to_le_bytes()
    });
    b.extend_from_slice(&if be { [0, 1, 0, 0] } else { [1, 0, 0, 0] });
    b.extend_from_slice(&[0xff; 8]);
    block(be, 0x0a0d0d0a, &b)
}

pub fn idb(be: bool, linktype: u16) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&if be {
        linktype.to_be_bytes()
    } else {
        linktype.to_le_bytes()
    });
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&if be {
        0u32.to_be_bytes()
    } else {
        0u32.to_le_bytes()
    });
    block(be, 1, &b)
}

pub fn epb(be: bool, iface: u32, frame: &[u8]) -> Vec<u8> {
    let w = |x: u32| if be { x.to_be_bytes() } else { x.to_le_bytes() };
    let mut b = Vec::new();
    b.extend_from_slice(&w(iface));
    b.extend_from_slice(&w(0));
    b.extend_from_slice(&w(0));
    b.extend_from_slice(&w(frame.len() as u32));
    b.extend_from_slice(&w(frame.len() as u32));
    b.extend_from_slice(frame);
    block(be, 6, &b)
}

pub fn spb(be: bool, frame: &[u8]) -> Vec<u8> {
    let mut b = if be {
        (frame.len() as u32).to_be_bytes()
    } else {
        (frame.len() as u32).to_le_bytes()
    }
    .to_vec();
    b.extend_from_slice(frame);
    block(be, 3, &b)
}

/// Obsolete Packet Block (type 2): 16-bit interface id and drops count.
pub fn opb(be: bool, iface: u16, frame: &[u8]) -> Vec<u8> {
    let w = |x: u32| if be { x.to_be_bytes() } else { x.to_le_bytes() };
    let mut b = Vec::new();
    b.extend_from_slice(&if be {
        iface.to_be_bytes()
    } else {
        iface.to_le_bytes()
    });
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&w(0));
    b.extend_from_slice(&w(0));
    b.extend_from_slice(&w(frame.len() as u32));
    b.extend_from_slice(&w(frame.len() as u32));
    b.extend_from_slice(frame);
    block(be, 2, &b)
}

/// A well-formed ClientHello handshake message (type, length, body).
pub fn client_hello(sni: Option<&str>, pad: usize) -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend_from_slice(&[7u8; 32]);
    body.push(0);
    body.extend_from_slice(&[0, 2, 0x13, 0x01, 1, 0]);
    let mut exts = Vec::new();
    if let Some(sni) = sni {
        let n = sni.len();
        exts.extend_from_slice(&[0, 0]);
        exts.extend_from_slice(&((n + 5) as u16).to_be_bytes());
        exts.extend_from_slice(&((n + 3) as u16).to_be_bytes());
        exts.push(0);
        exts.extend_from_slice(&(n as u16).to_be_bytes());
        exts.extend_from_slice(sni.as_bytes());
    }
    exts.extend_from_slice(&[0, 21]);
    exts.extend_from_slice(&(pad as u16).to_be_bytes());
    exts.extend(std::iter::repeat_n(0u8, pad));
    body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    body.extend_from_slice(&exts);
    let mut m = vec![1];
    m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    m.extend_from_slice(&body);
    m
}

/// Handshake bytes in TLS records of at most `max` bytes.
pub fn records(hs: &[u8], max: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for c in hs.chunks(max) {
        v.extend_from_slice(&[0x16, 3, 1]);
        v.extend_from_slice(&(c.len() as u16).to_be_bytes());
        v.extend_from_slice(c);
    }
    v
}

pub fn dns_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut m = id.to_be_bytes().to_vec();
    m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for l in name.split('.') {
        m.push(l.len() as u8);
        m.extend_from_slice(l.as_bytes());
    }
    m.extend_from_slice(&[0]);
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&[0, 1]);
    m
}

/// The answer to `dns_query` with one A record.
pub fn dns_answer_a(id: u16, name: &str, addr: [u8; 4]) -> Vec<u8> {
    let mut m = dns_query(id, name, 1);
    m[2] = 0x81;
    m[3] = 0x80;
    m[7] = 1;
    m.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
    m.extend_from_slice(&addr);
    m
}

/// A TCP connection: handshake, client data in `segments` (each sent as one
/// segment at its byte offset), then FIN. Frames are Ethernet.
pub struct Conn {
    pub c: IpAddr,
    pub s: IpAddr,
    pub cp: u16,
    pub sp: u16,
    pub isn: u32,
}

impl Conn {
    pub fn new(c: &str, cp: u16, s: &str, sp: u16) -> Conn {
        Conn {
            c: ip(c),
            s: ip(s),
            cp,
            sp,
            isn: 1000,
        }
    }
    pub fn c2s(&self, off: u32, flags: u8, data: &[u8]) -> Vec<u8> {
        ip_packet(
            self.c,
            self.s,
            6,
            &tcp(
                self.cp,
                self.sp,
                self.isn.wrapping_add(1).wrapping_add(off),
                flags,
                data,
            ),
        )
    }
    pub fn s2c(&self, flags: u8) -> Vec<u8> {
        ip_packet(self.s, self.c, 6, &tcp(self.sp, self.cp, 5000, flags, &[]))
    }
    pub fn syn(&self) -> Vec<u8> {
        ip_packet(
            self.c,
            self.s,
            6,
            &tcp(self.cp, self.sp, self.isn, SYN, &[]),
        )
    }
    /// SYN, SYN-ACK, ACK, the data chunks (in the order given), FIN.
    pub fn frames(&self, chunks: &[(u32, Vec<u8>)]) -> Vec<Vec<u8>> {
        let mut v = vec![self.syn(), self.s2c(SYN | ACK), self.c2s(0, ACK, &[])];
        let mut end = 0;
        for (off, d) in chunks {
            v.push(self.c2s(*off, PSH_ACK, d));
            end = end.max(off + d.len() as u32);
        }
        v.push(self.c2s(end, FIN_ACK, &[]));
        v
    }
}

/// Splits `data` into segments of `n` bytes with their offsets.
pub fn split(data: &[u8], n: usize) -> Vec<(u32, Vec<u8>)> {
    data.chunks(n)
        .enumerate()
        .map(|(i, c)| ((i * n) as u32, c.to_vec()))
        .collect()
}

// ---- QUIC Initial protection (RFC 9001 section 5, RFC 9369 section 3.3) ----

pub const QUIC_V1: u32 = 1;
pub const QUIC_V2: u32 = 0x6b3343cf;

fn expand(prk: &Hkdf<Sha256>, label: &str, out: &mut [u8]) {
    let full = format!("tls13 {label}");
    let mut info = (out.len() as u16).to_be_bytes().to_vec();
    info.push(full.len() as u8);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    prk.expand(&info, out).unwrap();
}

pub fn quic_client_keys(version: u32, dcid: &[u8]) -> ([u8; 16], [u8; 12], [u8; 16]) {
    let (salt, p): (&[u8], &str) = if version == QUIC_V2 {
        (
            &[
                0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26,
                0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
            ],
            "quicv2 ",
        )
    } else {
        (
            &[
                0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8,
                0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
            ],
            "quic ",
        )
    };
    let (_, initial) = Hkdf::<Sha256>::extract(Some(salt), dcid);
    let mut client = [0u8; 32];
    expand(&initial, "client in", &mut client);
    let prk = Hkdf::<Sha256>::from_prk(&client).unwrap();
    let (mut k, mut iv, mut hp) = ([0u8; 16], [0u8; 12], [0u8; 16]);
    expand(&prk, &format!("{p}key"), &mut k);
    expand(&prk, &format!("{p}iv"), &mut iv);
    expand(&prk, &format!("{p}hp"), &mut hp);
    (k, iv, hp)
}

/// A client Initial carrying CRYPTO frames `(offset, data)`, padded, protected
/// with keys from `key_dcid` while the header names `dcid`.
pub fn quic_initial(
    version: u32,
    key_dcid: &[u8],
    dcid: &[u8],
    pn: u32,
    crypto: &[(u64, &[u8])],
) -> Vec<u8> {
    let (key, iv, hpk) = quic_client_keys(version, key_dcid);
    let mut payload = Vec::new();
    for (off, d) in crypto {
        payload.push(0x06);
        payload.extend_from_slice(&(0x8000_0000u32 | *off as u32).to_be_bytes());
        payload.extend_from_slice(&(0x4000u16 | d.len() as u16).to_be_bytes());
        payload.extend_from_slice(d);
    }
    payload.resize(payload.len().max(1100), 0);
    let ty: u8 = if version == QUIC_V2 { 1 } else { 0 };
    let mut h = vec![0xc0 | (ty << 4) | 3];
    h.extend_from_slice(&version.to_be_bytes());
    h.push(dcid.len() as u8);
    h.extend_from_slice(dcid);
    h.push(4);
    h.extend_from_slice(&[9, 9, 9, 9]);
    h.push(0);
    h.extend_from_slice(&(0x4000u16 | (4 + payload.len() + 16) as u16).to_be_bytes());
    let pn_off = h.len();
    h.extend_from_slice(&pn.to_be_bytes());
    let mut nonce = iv;
    for (i, b) in (pn as u64).to_be_bytes().iter().enumerate() {
        nonce[4 + i] ^= b;
    }
    let aead = Aes128Gcm::new_from_slice(&key).unwrap();
    let tag = aead
        .encrypt_in_place_detached(Nonce::from_slice(&nonce), &h, &mut payload)
        .unwrap();
    let mut pkt = h;
    pkt.extend_from_slice(&payload);
    pkt.extend_from_slice(&tag);
    let hp = aes::Aes128::new_from_slice(&hpk).unwrap();
    let mut mask = aes::Block::clone_from_slice(&pkt[pn_off + 4..pn_off + 20]);
    hp.encrypt_block(&mut mask);
    pkt[0] ^= mask[0] & 0x0f;
    for i in 0..4 {
        pkt[pn_off + i] ^= mask[1 + i];
    }
    pkt
}
