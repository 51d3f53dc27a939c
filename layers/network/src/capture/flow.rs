//! Per-flow state: TCP reassembly of each direction, the application parser
//! the stream turned out to carry, and QUIC Initial decryption state.

use super::decode::{Segment, Transport, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN};
use super::http::{HttpEvent, HttpStream};
use super::tls::{TlsEvent, TlsStream};
use super::{dns, quic, Event, EventKind};
use std::net::IpAddr;

/// Out-of-order segments held per direction (a ClientHello cut into 1-byte
/// segments and sent backwards still fits).
const MAX_PENDING_SEGMENTS: usize = 4096;

/// Canonical flow key: the lower endpoint first, so both directions share it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowKey {
    pub a: (IpAddr, u16),
    pub b: (IpAddr, u16),
    pub transport: Transport,
}

impl FlowKey {
    /// The key and the direction index of `s` (0: a to b).
    pub fn of(s: &Segment<'_>) -> (FlowKey, usize) {
        let x = (s.src, s.sport);
        let y = (s.dst, s.dport);
        if x <= y {
            (
                FlowKey {
                    a: x,
                    b: y,
                    transport: s.transport,
                },
                0,
            )
        } else {
            (
                FlowKey {
                    a: y,
                    b: x,
                    transport: s.transport,
                },
                1,
            )
        }
    }

    pub fn endpoint(&self, dir: usize) -> (IpAddr, u16) {
        if dir == 0 {
            self.a
        } else {
            self.b
        }
    }
}

/// Hasher for the flow table: a multiply-rotate mix keyed with a per-run
/// random seed. Several times cheaper than SipHash on the per-packet path;
/// the seed keeps crafted captures from choosing colliding keys ahead of time.
#[derive(Clone)]
pub struct FlowHash(u64);

impl FlowHash {
    pub fn new() -> FlowHash {
        use std::hash::BuildHasher;
        FlowHash(std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64) | 1)
    }
}

impl Default for FlowHash {
    fn default() -> Self {
        FlowHash::new()
    }
}

impl std::hash::BuildHasher for FlowHash {
    type Hasher = FlowHasher;
    fn build_hasher(&self) -> FlowHasher {
        FlowHasher(self.0)
    }
}

pub struct FlowHasher(u64);

impl FlowHasher {
    #[inline]
    fn mix(&mut self, w: u64) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        self.0 = (self.0 ^ w).wrapping_mul(K).rotate_left(29);
    }
}

impl std::hash::Hasher for FlowHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut c = bytes.chunks_exact(8);
        for w in &mut c {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            self.mix(u64::from_le_bytes(a));
        }
        let r = c.remainder();
        if !r.is_empty() {
            let mut a = [0u8; 8];
            a[..r.len()].copy_from_slice(r);
            self.mix(u64::from_le_bytes(a) ^ ((r.len() as u64) << 56));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    fn finish(&self) -> u64 {
        // Final avalanche so the low bits hashbrown uses depend on every input bit.
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^ (z >> 33)
    }
}

/// What parsing one segment produced, collected by the scanner afterwards.
#[derive(Default)]
pub struct Out {
    pub events: Vec<Event>,
    pub answers: Vec<(IpAddr, String)>,
    pub warnings: Vec<&'static str>,
    pub cap_hits: u64,
    pub quic_undecrypted: u64,
}

impl Out {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
            && self.answers.is_empty()
            && self.warnings.is_empty()
            && self.cap_hits == 0
            && self.quic_undecrypted == 0
    }
}

/// Segment facts the parsers need to build events.
pub struct Ctx<'a> {
    pub frame: u64,
    pub seg: &'a Segment<'a>,
    pub max_flow_bytes: usize,
}

impl Ctx<'_> {
    fn event(&self, kind: EventKind, name: String) -> Event {
        Event {
            frame: self.frame,
            kind,
            name,
            qtype: None,
            method: None,
            ech: false,
            src: self.seg.src,
            sport: self.seg.sport,
            dst: self.seg.dst,
            dport: self.seg.dport,
            transport: self.seg.transport,
        }
    }
}

enum App {
    /// Not enough bytes yet to tell the protocol; holds what arrived.
    Sniff(Vec<u8>),
    Tls(TlsStream),
    Http(HttpStream),
    /// DNS over TCP: 2-byte length prefix per message.
    DnsTcp(Vec<u8>),
    Done,
}

/// One direction of a TCP flow.
struct Half {
    /// Sequence number of stream byte 0 (ISN + 1, or the first seen).
    base: Option<u32>,
    /// Stream bytes delivered so far.
    next: u32,
    /// Out-of-order segments waiting for the gap before them: (offset, bytes).
    pending: Vec<(u32, Vec<u8>)>,
    pending_bytes: usize,
    app: App,
}

impl Default for Half {
    fn default() -> Self {
        Half {
            base: None,
            next: 0,
            pending: Vec::new(),
            pending_bytes: 0,
            app: App::Sniff(Vec::new()),
        }
    }
}

impl Half {
    fn buffered(&self) -> usize {
        // Each held segment also costs its Vec and slot: count that too, so
        // many tiny segments cannot hide behind a small byte total.
        self.pending_bytes
            + self.pending.len() * 48
            + match &self.app {
                App::Sniff(b) | App::DnsTcp(b) => b.len(),
                App::Tls(t) => t.buffered(),
                App::Http(h) => h.buffered(),
                App::Done => 0,
            }
    }

    fn done(&self) -> bool {
        matches!(self.app, App::Done)
    }

    fn finish(&mut self) {
        self.app = App::Done;
        self.pending = Vec::new();
        self.pending_bytes = 0;
    }

    fn segment(&mut self, seq: u32, payload: &[u8], ctx: &Ctx<'_>, dns_port: bool, out: &mut Out) {
        if self.done() || payload.is_empty() {
            return;
        }
        let base = *self.base.get_or_insert(seq);
        let mut rel = seq.wrapping_sub(base) as i32 as i64;
        let mut data = payload;
        if rel < 0 {
            // Starts before byte 0 (a retransmission of the SYN's data, or
            // data before the first seen segment): keep the part after it.
            let cut = (-rel) as usize;
            if cut >= data.len() {
                return;
            }
            data = &data[cut..];
            rel = 0;
        }
        let rel = rel as u64;
        let next = self.next as u64;
        let cap = ctx.max_flow_bytes as u64;
        if rel > next {
            // A gap: hold the segment until the bytes before it arrive.
            if rel - next > cap || self.pending_bytes + data.len() > ctx.max_flow_bytes {
                out.cap_hits += 1;
                return;
            }
            if self.pending.len() >= MAX_PENDING_SEGMENTS {
                out.cap_hits += 1;
                return;
            }
            self.pending_bytes += data.len();
            self.pending.push((rel as u32, data.to_vec()));
            return;
        }
        let skip = (next - rel) as usize;
        if skip >= data.len() {
            return; // pure retransmission
        }
        let fresh = &data[skip..];
        self.next = self.next.wrapping_add(fresh.len() as u32);
        feed(&mut self.app, fresh, ctx, dns_port, out);
        // Pending segments that now connect.
        while !self.pending.is_empty() && !self.done() {
            let next = self.next;
            let Some(i) = self.pending.iter().position(|(o, _)| *o <= next) else {
                break;
            };
            let (o, v) = self.pending.swap_remove(i);
            self.pending_bytes -= v.len();
            let skip = (next - o) as usize;
            if skip < v.len() {
                self.next = self.next.wrapping_add((v.len() - skip) as u32);
                feed(&mut self.app, &v[skip..], ctx, dns_port, out);
            }
        }
        if self.done() {
            self.finish();
        } else if self.next as usize > ctx.max_flow_bytes
            && matches!(self.app, App::Tls(_) | App::Sniff(_))
        {
            out.cap_hits += 1;
            self.finish();
        }
    }
}

fn feed(app: &mut App, mut d: &[u8], ctx: &Ctx<'_>, dns_port: bool, out: &mut Out) {
    loop {
        match app {
            App::Done => return,
            App::Sniff(held) => {
                if dns_port {
                    let mut b = std::mem::take(held);
                    *app = App::DnsTcp(Vec::new());
                    b.extend_from_slice(d);
                    return feed(app, &b, ctx, false, out);
                }
                let mut probe = [0u8; 16];
                let n = held.len().min(16);
                probe[..n].copy_from_slice(&held[..n]);
                let m = (16 - n).min(d.len());
                probe[n..n + m].copy_from_slice(&d[..m]);
                let probe = &probe[..n + m];
                let next = if TlsStream::sniff(probe) == Some(true) {
                    App::Tls(TlsStream::default())
                } else if HttpStream::sniff(probe) == Some(true) {
                    App::Http(HttpStream::default())
                } else if TlsStream::sniff(probe).is_none() || HttpStream::sniff(probe).is_none() {
                    held.extend_from_slice(d);
                    return;
                } else {
                    *app = App::Done;
                    return;
                };
                let earlier = std::mem::take(held);
                *app = next;
                if !earlier.is_empty() {
                    feed(app, &earlier, ctx, false, out);
                }
            }
            App::Tls(t) => {
                let mut evs = Vec::new();
                t.feed(d, &mut evs);
                for e in evs {
                    match e {
                        TlsEvent::Hello(h) => {
                            if let Some(sni) = h.sni {
                                let mut ev = ctx.event(EventKind::TlsSni, sni);
                                ev.ech = h.ech;
                                out.events.push(ev);
                            }
                        }
                        TlsEvent::Bogus(w) => out.warnings.push(w),
                    }
                }
                if t.done {
                    *app = App::Done;
                }
                return;
            }
            App::Http(h) => {
                let mut evs = Vec::new();
                let used = h.feed(d, &mut evs);
                for e in evs {
                    match e {
                        HttpEvent::Request(r) => {
                            if let Some(host) = r.host {
                                let mut ev = ctx.event(EventKind::HttpHost, host);
                                ev.method = Some(r.method);
                                out.events.push(ev);
                            }
                        }
                        HttpEvent::Bogus(w) => out.warnings.push(w),
                    }
                }
                if h.tunnel {
                    // CONNECT: what follows is the tunnelled protocol (often TLS).
                    *app = App::Sniff(Vec::new());
                    d = &d[used..];
                    if d.is_empty() {
                        return;
                    }
                    continue;
                }
                if h.done {
                    *app = App::Done;
                }
                return;
            }
            App::DnsTcp(buf) => {
                if buf.len() + d.len() > 2 + 65535 {
                    out.warnings
                        .push("DNS-over-TCP message larger than its 16-bit length allows");
                    *app = App::Done;
                    return;
                }
                buf.extend_from_slice(d);
                while buf.len() >= 2 {
                    let len = u16::from_be_bytes([buf[0], buf[1]]) as usize;
                    if buf.len() < 2 + len {
                        break;
                    }
                    dns_message(&buf[2..2 + len], ctx, out);
                    buf.drain(..2 + len);
                }
                return;
            }
        }
    }
}

/// Records the questions of a DNS query and the addresses of an answer.
pub fn dns_message(msg: &[u8], ctx: &Ctx<'_>, out: &mut Out) -> Option<bool> {
    match dns::parse(msg) {
        Ok(m) => {
            if m.response {
                if let Some((q, _)) = m.questions.first() {
                    for a in &m.addresses {
                        out.answers.push((*a, q.clone()));
                    }
                }
            } else {
                let mdns = ctx.seg.sport == 5353 || ctx.seg.dport == 5353;
                let kind = if mdns {
                    EventKind::MdnsQuery
                } else {
                    EventKind::DnsQuery
                };
                for (name, ty) in m.questions {
                    let mut ev = ctx.event(kind, name);
                    ev.qtype = Some(ty);
                    out.events.push(ev);
                }
            }
            Some(m.response)
        }
        Err(e) => {
            out.warnings.push(e.as_str());
            None
        }
    }
}

struct QuicConn {
    client_dir: usize,
    version: u32,
    keys: quic::Keys,
    crypto: quic::CryptoStream,
    done: bool,
}

pub struct Flow {
    pub client: Option<usize>,
    pub first_dir: usize,
    pub packets: u64,
    pub first_frame: u64,
    pub last_frame: u64,
    /// Name from SNI or Host, with the protocol that named it.
    pub name: Option<(String, super::NameSource, super::Protocol)>,
    pub closed: bool,
    pub ech: bool,
    pub quic_seen: bool,
    pub dns_port: bool,
    halves: [Half; 2],
    quic: Option<Box<QuicConn>>,
    quic_failures: u8,
}

impl Flow {
    pub fn new(key: &FlowKey, dir: usize, frame: u64) -> Flow {
        let dns = |p: u16| p == 53 || p == 5353;
        Flow {
            client: None,
            first_dir: dir,
            packets: 0,
            first_frame: frame,
            last_frame: frame,
            name: None,
            closed: false,
            ech: false,
            quic_seen: false,
            dns_port: dns(key.a.1) || dns(key.b.1),
            halves: [Half::default(), Half::default()],
            quic: None,
            quic_failures: 0,
        }
    }

    pub fn buffered(&self) -> usize {
        self.halves[0].buffered()
            + self.halves[1].buffered()
            + self.quic.as_ref().map_or(0, |q| q.crypto.buffered())
    }

    /// A SYN (without ACK) whose sequence number does not match this flow's:
    /// the port pair was reused for a new connection.
    pub fn is_new_connection(&self, dir: usize, seg: &Segment<'_>) -> bool {
        seg.flags & (TCP_SYN | TCP_ACK) == TCP_SYN
            && self.halves[dir]
                .base
                .is_some_and(|b| b != seg.seq.wrapping_add(1))
    }

    /// Bytes of parser state worth keeping: nothing once every parser is done.
    pub fn idle(&self) -> bool {
        self.halves.iter().all(Half::done) && self.quic.as_ref().is_none_or(|q| q.done)
    }

    pub fn tcp(&mut self, dir: usize, ctx: &Ctx<'_>, out: &mut Out) {
        let seg = ctx.seg;
        if seg.flags & (TCP_FIN | TCP_RST) != 0 {
            self.closed = true;
        }
        let h = &mut self.halves[dir];
        let mut seq = seg.seq;
        if seg.flags & TCP_SYN != 0 {
            if seg.flags & TCP_ACK == 0 {
                self.client = Some(dir);
            } else if self.client.is_none() {
                self.client = Some(1 - dir);
            }
            if h.base.is_none() {
                h.base = Some(seg.seq.wrapping_add(1));
            }
            seq = seg.seq.wrapping_add(1); // data on a SYN (TCP Fast Open)
        }
        let before = out.events.len();
        h.segment(seq, seg.payload, ctx, self.dns_port, out);
        self.claim(dir, &out.events[before..]);
    }

    pub fn udp(&mut self, dir: usize, ctx: &Ctx<'_>, out: &mut Out) {
        let p = ctx.seg.payload;
        if self.dns_port {
            if dns_message(p, ctx, out) == Some(false) && self.client.is_none() {
                self.client = Some(dir);
            }
            return;
        }
        if p.first().is_some_and(|b| b & 0xc0 == 0xc0) {
            let before = out.events.len();
            self.quic(dir, p, ctx, out);
            self.claim(dir, &out.events[before..]);
        }
    }

    /// The first SNI/Host names the flow and marks its sender as the client.
    fn claim(&mut self, dir: usize, evs: &[Event]) {
        use super::{NameSource, Protocol};
        for e in evs {
            self.ech |= e.ech;
            let (src, proto) = match e.kind {
                EventKind::TlsSni => (NameSource::Sni, Protocol::Tls),
                EventKind::QuicSni => (NameSource::Sni, Protocol::Quic),
                EventKind::HttpHost => (NameSource::HttpHost, Protocol::Http),
                EventKind::DnsQuery | EventKind::MdnsQuery => continue,
            };
            if self.name.is_none() {
                let n = if proto == Protocol::Http {
                    super::http::host_only(&e.name)
                } else {
                    &e.name
                };
                self.name = Some((super::normalize_name(n), src, proto));
                self.client = Some(dir);
            }
        }
    }

    fn quic(&mut self, dir: usize, mut p: &[u8], ctx: &Ctx<'_>, out: &mut Out) {
        for _ in 0..8 {
            let Some(h) = quic::long_header(p) else {
                return;
            };
            self.quic_seen = true;
            if h.is_initial {
                self.initial(dir, &p[..h.end], &h, ctx, out);
            }
            if h.end >= p.len() {
                return;
            }
            p = &p[h.end..];
        }
    }

    fn initial(
        &mut self,
        dir: usize,
        pkt: &[u8],
        h: &quic::LongHeader<'_>,
        ctx: &Ctx<'_>,
        out: &mut Out,
    ) {
        let plain = match &mut self.quic {
            None => {
                if self.quic_failures > 16 {
                    return;
                }
                let Some(keys) = quic::client_keys(h.version, h.dcid) else {
                    return;
                };
                let Some(plain) = quic::decrypt(pkt, h.pn_offset, &keys) else {
                    // Most often the server's Initial: not protected with client keys.
                    self.quic_failures += 1;
                    out.quic_undecrypted += 1;
                    return;
                };
                self.quic = Some(Box::new(QuicConn {
                    client_dir: dir,
                    version: h.version,
                    keys,
                    crypto: quic::CryptoStream::default(),
                    done: false,
                }));
                plain
            }
            Some(q) => {
                if q.done || q.client_dir != dir {
                    return;
                }
                match quic::decrypt(pkt, h.pn_offset, &q.keys) {
                    Some(p) => p,
                    None => {
                        // After a Retry the client derives keys from the new DCID.
                        let Some(keys) = quic::client_keys(h.version, h.dcid) else {
                            return;
                        };
                        let Some(p) = quic::decrypt(pkt, h.pn_offset, &keys) else {
                            out.quic_undecrypted += 1;
                            return;
                        };
                        q.keys = keys;
                        q.version = h.version;
                        p
                    }
                }
            }
        };
        let Some(q) = self.quic.as_mut() else { return };
        if self.client.is_none() {
            self.client = Some(dir);
        }
        for (off, d) in quic::crypto_frames(&plain) {
            let data = q.crypto.add(off, d);
            if data.len() >= 4 {
                if data[0] != 1 {
                    q.done = true;
                    break;
                }
                let len = ((data[1] as usize) << 16) | ((data[2] as usize) << 8) | data[3] as usize;
                if data.len() >= 4 + len {
                    match super::tls::parse_client_hello(&data[4..4 + len]) {
                        Ok(hello) => {
                            if let Some(sni) = hello.sni {
                                let mut ev = ctx.event(EventKind::QuicSni, sni);
                                ev.ech = hello.ech;
                                out.events.push(ev);
                            }
                        }
                        Err(_) => out
                            .warnings
                            .push("QUIC ClientHello field runs past its message length"),
                    }
                    q.done = true;
                    break;
                }
            }
            if q.crypto.done {
                out.cap_hits += 1;
                q.done = true;
                break;
            }
        }
        if q.done {
            q.crypto = quic::CryptoStream::default();
        }
    }
}
