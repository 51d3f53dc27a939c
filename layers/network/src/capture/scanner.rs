//! The scan loop: records to segments to flows, and the totals kept per
//! destination and DNS name.

use super::decode::{
    decode, ipv4_fragment, ipv6_fragment, Skip, Transport, DLT_IPV4, DLT_IPV6, TCP_SYN,
};
use super::defrag::Defrag;
use super::flow::FlowHash;
use super::flow::{Ctx, Flow, FlowKey, Out};
use super::reader::{Format, RecordReader};
use super::{
    normalize_name, CaptureError, CaptureSummary, Counters, Destination, DnsName, Event, EventKind,
    NameSource, Protocol, ScanOptions,
};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::net::IpAddr;

/// Budget for names kept in the totals (destinations, DNS names, answers):
/// long hostile names cannot grow memory past it.
const MAX_NAME_BYTES: usize = 16 << 20;

struct Scanner<'s> {
    opts: &'s ScanOptions,
    flows: HashMap<FlowKey, Flow, FlowHash>,
    dests: HashMap<(String, Protocol, u16), Destination>,
    dns_names: HashMap<String, DnsName>,
    /// Address -> (name asked for, frame of the answer).
    answers: HashMap<IpAddr, (String, u64)>,
    events: Vec<Event>,
    events_total: u64,
    counters: Counters,
    /// Warning text -> (first frame, count).
    warnings: BTreeMap<String, (u64, u64)>,
    buffered: usize,
    /// Bytes of names held in the destination, DNS-name and answer tables.
    name_bytes: usize,
    defrag: Defrag,
    out: Out,
    sink: &'s mut dyn FnMut(&Event),
}

/// Scans a capture from any reader (`path` only names it in messages).
pub fn scan_reader<R: Read>(
    src: R,
    path: &str,
    opts: &ScanOptions,
    sink: &mut dyn FnMut(&Event),
) -> Result<CaptureSummary, CaptureError> {
    let mut reader = RecordReader::new(src, path)?;
    let mut s = Scanner {
        opts,
        flows: HashMap::with_hasher(FlowHash::new()),
        dests: HashMap::new(),
        dns_names: HashMap::new(),
        answers: HashMap::new(),
        events: Vec::new(),
        events_total: 0,
        counters: Counters::default(),
        warnings: BTreeMap::new(),
        buffered: 0,
        name_bytes: 0,
        defrag: Defrag::new(1024, 8 << 20),
        out: Out::default(),
        sink,
    };
    let result = loop {
        match reader.next_packet() {
            Ok(Some(p)) => s.packet(p.frame, p.linktype, p.data, p.orig_len),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    // A corrupt record after good ones still reports what came before it,
    // unless nothing at all could be read.
    if let Err(e) = result {
        if s.counters.frames == 0 {
            return Err(e);
        }
        s.warn(&format!("reading stopped: {e}"), s.counters.frames);
    }
    let n = &reader.notes;
    if let Some(t) = &n.truncated_tail {
        s.warn(&format!("capture is cut short at {t}"), s.counters.frames);
    }
    if n.oversized_blocks > 0 {
        s.warn(
            &format!("{} pcapng block(s) over 16 MiB skipped", n.oversized_blocks),
            0,
        );
    }
    if n.unknown_interface > 0 {
        s.warn(
            &format!(
                "{} packet block(s) name an undeclared interface",
                n.unknown_interface
            ),
            0,
        );
    }
    if n.skipped_blocks > 0 {
        tracing::debug!(
            "{path}: {} non-packet pcapng blocks skipped",
            n.skipped_blocks
        );
    }
    let format = match reader.format {
        Format::Pcap => "pcap",
        Format::Pcapng => "pcapng",
    };
    Ok(s.finish(path, format))
}

impl Scanner<'_> {
    fn warn(&mut self, w: &str, frame: u64) {
        let e = self.warnings.entry(w.to_string()).or_insert((frame, 0));
        e.1 += 1;
    }

    fn packet(&mut self, frame: u64, linktype: u32, data: &[u8], orig_len: u32) {
        self.counters.frames += 1;
        self.counters.bytes += data.len() as u64;
        if (data.len() as u64) < orig_len as u64 {
            self.counters.truncated_frames += 1;
        }
        match decode(linktype, data) {
            Ok(seg) => self.segment(frame, &seg),
            Err(Skip::UnknownLinktype(l)) => self.warn(
                &format!("link type {l} is not decoded; its frames were skipped"),
                frame,
            ),
            Err(Skip::Fragment) => {
                self.counters.ip_fragments += 1;
                let frag = ipv4_fragment(linktype, data)
                    .map(|f| (f, DLT_IPV4))
                    .or_else(|| ipv6_fragment(linktype, data).map(|f| (f, DLT_IPV6)));
                if let Some((f, dlt)) = frag {
                    if let Some(whole) = self.defrag.add(&f, frame) {
                        match decode(dlt, &whole) {
                            Ok(seg) => self.segment(frame, &seg),
                            Err(_) => self.counters.malformed += 1,
                        }
                    }
                }
            }
            Err(Skip::NotIp) => self.counters.non_ip += 1,
            Err(Skip::OtherTransport) => self.counters.other_transport += 1,
            Err(Skip::Truncated) => self.counters.malformed += 1,
            Err(Skip::Malformed) => self.counters.malformed += 1,
        }
    }

    fn segment(&mut self, frame: u64, seg: &super::decode::Segment<'_>) {
        let (key, dir) = FlowKey::of(seg);
        let reused = match self.flows.get_mut(&key) {
            Some(f) => {
                seg.transport == Transport::Tcp
                    && seg.flags & TCP_SYN != 0
                    && f.is_new_connection(dir, seg)
            }
            None => {
                if self.flows.len() >= self.opts.max_flows {
                    self.evict(false);
                }
                self.flows.insert(key.clone(), Flow::new(&key, dir, frame));
                false
            }
        };
        if reused {
            // The port pair was reused for a new connection: close the old one.
            if let Some(old) = self.flows.insert(key.clone(), Flow::new(&key, dir, frame)) {
                self.buffered = self.buffered.saturating_sub(old.buffered());
                self.fold(&key, old);
            }
        }
        let Some(flow) = self.flows.get_mut(&key) else {
            return;
        };
        flow.packets += 1;
        flow.last_frame = frame;
        if flow.idle() && flow.name.is_some() {
            return; // fast path: nothing left to learn from this flow
        }
        let before = flow.buffered();
        let ctx = Ctx {
            frame,
            seg,
            max_flow_bytes: self.opts.max_flow_bytes,
        };
        match seg.transport {
            Transport::Tcp => flow.tcp(dir, &ctx, &mut self.out),
            Transport::Udp => flow.udp(dir, &ctx, &mut self.out),
        }
        let after = flow.buffered();
        self.buffered = (self.buffered + after).saturating_sub(before);
        if !self.out.is_empty() {
            self.drain_out(frame);
        }
        if self.buffered > self.opts.max_buffered {
            self.evict(true);
        }
    }

    fn drain_out(&mut self, frame: u64) {
        let mut out = std::mem::take(&mut self.out);
        self.counters.flow_cap_hits += out.cap_hits;
        self.counters.quic_undecrypted += out.quic_undecrypted;
        out.cap_hits = 0;
        out.quic_undecrypted = 0;
        for w in out.warnings.drain(..) {
            self.warn(w, frame);
        }
        for (addr, name) in out.answers.drain(..) {
            if self.answers.contains_key(&addr) {
                continue;
            }
            if self.answers.len() >= self.opts.max_dns_answers || self.name_bytes > MAX_NAME_BYTES {
                self.warn(
                    "too many DNS answers; later addresses are not mapped to names",
                    frame,
                );
                continue;
            }
            self.name_bytes += name.len() + 48;
            self.answers.insert(addr, (normalize_name(&name), frame));
        }
        for ev in out.events.drain(..) {
            if ev.kind == EventKind::DnsQuery {
                self.dns_name(&ev);
            }
            (self.sink)(&ev);
            self.events_total += 1;
            if self.events.len() < self.opts.max_events {
                self.events.push(ev);
            }
        }
        self.out = out;
    }

    fn dns_name(&mut self, ev: &Event) {
        let name = normalize_name(&ev.name);
        if !self.dns_names.contains_key(&name)
            && (self.dns_names.len() >= self.opts.max_destinations
                || self.name_bytes > MAX_NAME_BYTES)
        {
            self.warn(
                "too many distinct DNS names; later ones are not listed",
                ev.frame,
            );
            return;
        }
        if !self.dns_names.contains_key(&name) {
            self.name_bytes += 2 * name.len() + 96;
        }
        let e = self
            .dns_names
            .entry(name.clone())
            .or_insert_with(|| DnsName {
                name,
                qtypes: Vec::new(),
                queries: 0,
                first_frame: ev.frame,
                resolver: ev.dst,
            });
        e.queries += 1;
        if let Some(t) = ev.qtype {
            if !e.qtypes.contains(&t) && e.qtypes.len() < 16 {
                e.qtypes.push(t);
            }
        }
    }

    /// Drops flows to make room: finished ones first, then the least recent.
    fn evict(&mut self, for_memory: bool) {
        let target = if for_memory {
            self.opts.max_buffered / 2
        } else {
            usize::MAX
        };
        let want = (self.flows.len() / 8).max(1);
        let mut order: Vec<(bool, u64, FlowKey)> = self
            .flows
            .iter()
            .map(|(k, f)| (!f.closed, f.last_frame, k.clone()))
            .collect();
        let n = want.min(order.len());
        if n == 0 {
            return;
        }
        if n < order.len() {
            order.select_nth_unstable_by(n - 1, |x, y| (x.0, x.1).cmp(&(y.0, y.1)));
        }
        let mut removed = 0;
        for (_, _, k) in order.into_iter().take(n) {
            if let Some(f) = self.flows.remove(&k) {
                self.buffered = self.buffered.saturating_sub(f.buffered());
                self.fold(&k, f);
                removed += 1;
            }
            if for_memory && self.buffered <= target {
                break;
            }
        }
        self.counters.evicted_flows += removed;
    }

    /// Adds a flow's packets to its destination's totals.
    fn fold(&mut self, key: &FlowKey, f: Flow) {
        let client = f.client.unwrap_or_else(|| {
            // Without a SYN or a request, the side on the well-known port serves.
            let first = key.endpoint(f.first_dir);
            let other = key.endpoint(1 - f.first_dir);
            if first.1 < 1024 && other.1 >= 1024 {
                1 - f.first_dir
            } else {
                f.first_dir
            }
        });
        let (addr, port) = key.endpoint(1 - client);
        let fallback = match key.transport {
            Transport::Tcp => Protocol::Tcp,
            Transport::Udp if f.quic_seen => Protocol::Quic,
            Transport::Udp => Protocol::Udp,
        };
        let (name, source, protocol) = match f.name {
            Some(n) => n,
            None if f.dns_port => (addr.to_string(), NameSource::Address, Protocol::Dns),
            None => match self.answers.get(&addr) {
                Some((n, fr)) if *fr <= f.first_frame => {
                    (n.clone(), NameSource::DnsAnswer, fallback)
                }
                _ => (addr.to_string(), NameSource::Address, fallback),
            },
        };
        let k = (name, protocol, port);
        if !self.dests.contains_key(&k)
            && (self.dests.len() >= self.opts.max_destinations || self.name_bytes > MAX_NAME_BYTES)
        {
            self.warn(
                "too many distinct destinations; later ones are not listed",
                f.first_frame,
            );
            return;
        }
        if !self.dests.contains_key(&k) {
            self.name_bytes += 2 * k.0.len() + 128;
        }
        let d = self.dests.entry(k.clone()).or_insert_with(|| Destination {
            name: k.0.clone(),
            source,
            protocol,
            port,
            address: addr,
            packets: 0,
            flows: 0,
            first_frame: f.first_frame,
            ech: false,
        });
        d.ech |= f.ech;
        d.packets += f.packets;
        d.flows += 1;
        if f.first_frame < d.first_frame {
            d.first_frame = f.first_frame;
            d.address = addr;
        }
    }

    fn finish(mut self, path: &str, format: &str) -> CaptureSummary {
        let flows: Vec<_> = self.flows.drain().collect();
        for (k, f) in flows {
            self.fold(&k, f);
        }
        let c = &self.counters;
        let mut notes = Vec::new();
        if c.truncated_frames > 0 {
            notes.push(format!(
                "{} frame(s) cut by the snapshot length",
                c.truncated_frames
            ));
        }
        let lost = c
            .ip_fragments
            .saturating_sub(self.defrag.reassembled_fragments);
        if lost > 0 {
            notes.push(format!(
                "{lost} IP fragment(s) not reassembled (IPv6 fragments, incomplete or over the limits)"
            ));
        }
        if c.malformed > 0 {
            notes.push(format!(
                "{} frame(s) with cut or malformed headers",
                c.malformed
            ));
        }
        if c.flow_cap_hits > 0 {
            notes.push(format!(
                "{} time(s) a flow reached its reassembly limit",
                c.flow_cap_hits
            ));
        }
        if c.evicted_flows > 0 {
            notes.push(format!(
                "{} flow(s) evicted to bound memory",
                c.evicted_flows
            ));
        }
        if c.quic_undecrypted > 0 {
            notes.push(format!("{} QUIC Initial packet(s) not decrypted with client keys (server Initials or unknown connections)", c.quic_undecrypted));
        }
        let mut warnings: Vec<String> = self
            .warnings
            .iter()
            .map(|(w, (frame, n))| match (*n, *frame) {
                (1, 0) => w.clone(),
                (1, f) => format!("{w} (frame {f})"),
                (n, f) => format!("{w} ({n} times, first at frame {f})"),
            })
            .collect();
        warnings.extend(notes);
        let mut destinations: Vec<_> = self.dests.into_values().collect();
        destinations.sort_by(|a, b| {
            (a.first_frame, &a.name, a.port).cmp(&(b.first_frame, &b.name, b.port))
        });
        let mut dns_names: Vec<_> = self.dns_names.into_values().collect();
        dns_names.sort_by(|a, b| (a.first_frame, &a.name).cmp(&(b.first_frame, &b.name)));
        self.events.sort_by_key(|e| e.frame);
        CaptureSummary {
            path: path.to_string(),
            format: format.to_string(),
            counters: self.counters,
            events: self.events,
            events_total: self.events_total,
            destinations,
            dns_names,
            warnings,
        }
    }
}
