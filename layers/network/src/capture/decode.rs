//! Link layer, IP and transport headers: from a captured frame to a transport
//! segment. Every length is checked against the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const DLT_NULL: u32 = 0;
pub const DLT_EN10MB: u32 = 1;
pub const DLT_PPP: u32 = 9;
pub const DLT_RAW_12: u32 = 12;
pub const DLT_RAW_14: u32 = 14;
pub const DLT_PPP_HDLC: u32 = 50;
pub const DLT_RAW: u32 = 101;
pub const DLT_LOOP: u32 = 108;
pub const DLT_LINUX_SLL: u32 = 113;
pub const DLT_IPV4: u32 = 228;
pub const DLT_IPV6: u32 = 229;
pub const DLT_NFLOG: u32 = 239;
pub const DLT_LINUX_SLL2: u32 = 276;

/// UDP ports of VXLAN (IANA, and the Linux kernel's old default) and Geneve.
pub const VXLAN_PORTS: [u16; 2] = [4789, 8472];
pub const GENEVE_PORT: u16 = 6081;

/// Nesting bound for VLAN tags, MPLS labels and IP-in-IP tunnels.
const MAX_NEST: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }
}

pub const TCP_FIN: u8 = 0x01;
pub const TCP_SYN: u8 = 0x02;
pub const TCP_RST: u8 = 0x04;
pub const TCP_ACK: u8 = 0x10;

/// A decoded transport segment.
pub struct Segment<'a> {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub sport: u16,
    pub dport: u16,
    pub transport: Transport,
    pub seq: u32,
    pub flags: u8,
    pub payload: &'a [u8],
    /// The payload is shorter than the headers say (snaplen cut).
    pub cut: bool,
}

/// Why a frame gave no segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Not IP or not TCP/UDP: nothing to look at, not an error.
    NotIp,
    OtherTransport,
    UnknownLinktype(u32),
    /// A later IP fragment, or a first fragment with more to come.
    Fragment,
    /// Headers cut short (snaplen or corrupt length).
    Truncated,
    Malformed,
}

pub fn decode(linktype: u32, frame: &[u8]) -> Result<Segment<'_>, Skip> {
    let (ethertype, l3) = link(linktype, frame)?;
    by_ethertype(ethertype, l3, 0)
}

/// Returns the ethertype-like protocol number and the bytes after the link header.
fn link(linktype: u32, f: &[u8]) -> Result<(u16, &[u8]), Skip> {
    match linktype {
        DLT_EN10MB => {
            if f.len() < 14 {
                return Err(Skip::Truncated);
            }
            let et = u16::from_be_bytes([f[12], f[13]]);
            if et <= 1500 {
                return Err(Skip::NotIp); // 802.3 length field: LLC frames
            }
            Ok((et, &f[14..]))
        }
        DLT_NULL | DLT_LOOP => {
            if f.len() < 4 {
                return Err(Skip::Truncated);
            }
            // NULL stores the address family in the capturing host's byte order.
            let le = u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
            let be = u32::from_be_bytes([f[0], f[1], f[2], f[3]]);
            let af = if linktype == DLT_LOOP || le > 0xffff {
                be
            } else {
                le
            };
            let et = match af {
                2 => 0x0800,
                // IPv6 AF values of the BSDs, Darwin and Linux.
                10 | 24 | 28 | 30 => 0x86dd,
                _ => return Err(Skip::NotIp),
            };
            Ok((et, &f[4..]))
        }
        DLT_RAW | DLT_RAW_12 | DLT_RAW_14 => raw_ip(f),
        DLT_IPV4 => Ok((0x0800, f)),
        DLT_IPV6 => Ok((0x86dd, f)),
        DLT_LINUX_SLL => {
            if f.len() < 16 {
                return Err(Skip::Truncated);
            }
            Ok((u16::from_be_bytes([f[14], f[15]]), &f[16..]))
        }
        DLT_LINUX_SLL2 => {
            if f.len() < 20 {
                return Err(Skip::Truncated);
            }
            Ok((u16::from_be_bytes([f[0], f[1]]), &f[20..]))
        }
        DLT_PPP | DLT_PPP_HDLC => {
            let f = if f.len() >= 2 && f[0] == 0xff && f[1] == 0x03 {
                &f[2..]
            } else {
                f
            };
            if f.len() < 2 {
                return Err(Skip::Truncated);
            }
            Ok((ppp_to_ethertype(u16::from_be_bytes([f[0], f[1]]))?, &f[2..]))
        }
        DLT_NFLOG => nflog(f),
        other => Err(Skip::UnknownLinktype(other)),
    }
}

fn raw_ip(f: &[u8]) -> Result<(u16, &[u8]), Skip> {
    match f.first().map(|b| b >> 4) {
        Some(4) => Ok((0x0800, f)),
        Some(6) => Ok((0x86dd, f)),
        Some(_) => Err(Skip::NotIp),
        None => Err(Skip::Truncated),
    }
}

fn ppp_to_ethertype(p: u16) -> Result<u16, Skip> {
    match p {
        0x0021 => Ok(0x0800),
        0x0057 => Ok(0x86dd),
        _ => Err(Skip::NotIp),
    }
}

/// NFLOG: 4-byte header, then TLVs (host byte order lengths, 4-byte aligned);
/// TLV type 9 holds the packet.
fn nflog(f: &[u8]) -> Result<(u16, &[u8]), Skip> {
    if f.len() < 4 {
        return Err(Skip::Truncated);
    }
    let family = f[0];
    let mut p = 4;
    while p + 4 <= f.len() {
        let len = u16::from_le_bytes([f[p], f[p + 1]]) as usize;
        let ty = u16::from_le_bytes([f[p + 2], f[p + 3]]);
        if len < 4 {
            return Err(Skip::Malformed);
        }
        if ty == 9 {
            let end = (p + len).min(f.len());
            let payload = &f[p + 4..end];
            return match family {
                2 => Ok((0x0800, payload)),
                10 => Ok((0x86dd, payload)),
                _ => raw_ip(payload),
            };
        }
        p += (len + 3) & !3;
    }
    Err(Skip::NotIp)
}

fn by_ethertype(et: u16, d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    if depth > MAX_NEST {
        return Err(Skip::Malformed);
    }
    match to_ip(et, d)? {
        (0x0800, d) => ipv4(d, depth),
        (_, d) => ipv6(d, depth),
    }
}

/// One IPv4 or IPv6 fragment, for reassembly by the caller.
pub struct Fragment<'a> {
    /// (source, destination, identification, protocol; 0 for IPv6, whose
    /// identification alone names the datagram)
    pub key: (IpAddr, IpAddr, u32, u8),
    pub offset: usize,
    pub more: bool,
    /// The header the whole packet gets: the IPv4 header (options included),
    /// or the fixed IPv6 header with its next header set to the protocol
    /// the fragments carry.
    pub header: std::borrow::Cow<'a, [u8]>,
    pub payload: &'a [u8],
}

/// The IPv6 fragment a frame carries, if it is one (extension headers
/// before the fragment header are dropped from the reassembled packet).
pub fn ipv6_fragment(linktype: u32, frame: &[u8]) -> Option<Fragment<'_>> {
    let (et, l3) = link(linktype, frame).ok()?;
    let (et, d) = to_ip(et, l3).ok()?;
    if et != 0x86dd || d.len() < 40 || d[0] >> 4 != 6 {
        return None;
    }
    let plen = u16::from_be_bytes([d[4], d[5]]) as usize;
    let end = if plen == 0 || 40 + plen > d.len() {
        d.len()
    } else {
        40 + plen
    };
    let mut next = d[6];
    let mut p = &d[40..end];
    for _ in 0..MAX_NEST {
        match next {
            0 | 43 | 60 | 135 | 139 | 140 => {
                let len = (*p.get(1)? as usize + 1) * 8;
                if p.len() < len {
                    return None;
                }
                next = p[0];
                p = &p[len..];
            }
            44 => {
                if p.len() < 8 {
                    return None;
                }
                let off_m = u16::from_be_bytes([p[2], p[3]]);
                let mut header = d[..40].to_vec();
                header[6] = p[0];
                let mut a = [0u8; 16];
                a.copy_from_slice(&d[8..24]);
                let src = IpAddr::V6(Ipv6Addr::from(a));
                a.copy_from_slice(&d[24..40]);
                let dst = IpAddr::V6(Ipv6Addr::from(a));
                return Some(Fragment {
                    key: (src, dst, u32::from_be_bytes([p[4], p[5], p[6], p[7]]), 0),
                    offset: ((off_m >> 3) as usize) * 8,
                    more: off_m & 1 == 1,
                    header: std::borrow::Cow::Owned(header),
                    payload: &p[8..],
                });
            }
            _ => return None,
        }
    }
    None
}

/// The IPv4 fragment a frame carries, if it is one.
pub fn ipv4_fragment(linktype: u32, frame: &[u8]) -> Option<Fragment<'_>> {
    let (et, l3) = link(linktype, frame).ok()?;
    let (et, d) = to_ip(et, l3).ok()?;
    if et != 0x0800 || d.len() < 20 || d[0] >> 4 != 4 {
        return None;
    }
    let ihl = ((d[0] & 0x0f) as usize) * 4;
    let total = u16::from_be_bytes([d[2], d[3]]) as usize;
    let frag = u16::from_be_bytes([d[6], d[7]]);
    if ihl < 20 || d.len() < ihl || total < ihl || frag & 0x3fff == 0 {
        return None;
    }
    Some(Fragment {
        key: (
            IpAddr::V4(Ipv4Addr::new(d[12], d[13], d[14], d[15])),
            IpAddr::V4(Ipv4Addr::new(d[16], d[17], d[18], d[19])),
            u32::from(u16::from_be_bytes([d[4], d[5]])),
            d[9],
        ),
        offset: ((frag & 0x1fff) as usize) * 8,
        more: frag & 0x2000 != 0,
        header: std::borrow::Cow::Borrowed(&d[..ihl]),
        payload: &d[ihl..total.min(d.len())],
    })
}

/// Walks VLAN tags, MPLS labels and PPPoE to the IP header.
fn to_ip(mut et: u16, mut d: &[u8]) -> Result<(u16, &[u8]), Skip> {
    for _ in 0..MAX_NEST {
        match et {
            0x0800 | 0x86dd => return Ok((et, d)),
            // 802.1Q, 802.1ad (QinQ) and the old 0x9100 QinQ tag.
            0x8100 | 0x88a8 | 0x9100 => {
                if d.len() < 4 {
                    return Err(Skip::Truncated);
                }
                et = u16::from_be_bytes([d[2], d[3]]);
                d = &d[4..];
            }
            // MPLS unicast/multicast: pop labels to the bottom of the stack,
            // then guess the payload from the IP version nibble.
            0x8847 | 0x8848 => {
                let mut i = 0;
                loop {
                    if d.len() < i + 4 {
                        return Err(Skip::Truncated);
                    }
                    let bos = d[i + 2] & 1 == 1;
                    i += 4;
                    if bos || i >= 4 * MAX_NEST {
                        break;
                    }
                }
                // Ethernet over MPLS (RFC 4448): a zero nibble starts the
                // control word, an Ethernet frame follows.
                if d.get(i).is_some_and(|b| b >> 4 == 0) {
                    let eth = d.get(i + 4..).ok_or(Skip::Truncated)?;
                    if eth.len() < 14 {
                        return Err(Skip::Truncated);
                    }
                    et = u16::from_be_bytes([eth[12], eth[13]]);
                    d = &eth[14..];
                    continue;
                }
                let (e, rest) = raw_ip(&d[i..])?;
                et = e;
                d = rest;
            }
            // PPPoE session: 6-byte header then the PPP protocol.
            0x8864 => {
                if d.len() < 8 {
                    return Err(Skip::Truncated);
                }
                et = ppp_to_ethertype(u16::from_be_bytes([d[6], d[7]]))?;
                d = &d[8..];
            }
            _ => return Err(Skip::NotIp),
        }
    }
    Err(Skip::Malformed)
}

fn ipv4(d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    if d.len() < 20 {
        return Err(Skip::Truncated);
    }
    if d[0] >> 4 != 4 {
        return Err(Skip::Malformed);
    }
    let ihl = ((d[0] & 0x0f) as usize) * 4;
    if ihl < 20 {
        return Err(Skip::Malformed);
    }
    if d.len() < ihl {
        return Err(Skip::Truncated);
    }
    let total = u16::from_be_bytes([d[2], d[3]]) as usize;
    let frag = u16::from_be_bytes([d[6], d[7]]);
    if frag & 0x3fff != 0 {
        return Err(Skip::Fragment);
    }
    let proto = d[9];
    let src = IpAddr::V4(Ipv4Addr::new(d[12], d[13], d[14], d[15]));
    let dst = IpAddr::V4(Ipv4Addr::new(d[16], d[17], d[18], d[19]));
    // A total length of 0 happens with TSO captures; trust the captured bytes then.
    let (end, cut) = if total == 0 {
        (d.len(), false)
    } else if total < ihl {
        return Err(Skip::Malformed);
    } else if total > d.len() {
        (d.len(), true)
    } else {
        (total, false)
    };
    transport(proto, src, dst, &d[ihl..end], cut, depth)
}

fn ipv6(d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    if d.len() < 40 {
        return Err(Skip::Truncated);
    }
    if d[0] >> 4 != 6 {
        return Err(Skip::Malformed);
    }
    let plen = u16::from_be_bytes([d[4], d[5]]) as usize;
    let mut next = d[6];
    let mut a = [0u8; 16];
    a.copy_from_slice(&d[8..24]);
    let src = IpAddr::V6(Ipv6Addr::from(a));
    a.copy_from_slice(&d[24..40]);
    let dst = IpAddr::V6(Ipv6Addr::from(a));
    let (end, cut) = if plen == 0 || 40 + plen > d.len() {
        (d.len(), plen != 0)
    } else {
        (40 + plen, false)
    };
    let mut p = &d[40..end];
    for _ in 0..MAX_NEST {
        match next {
            // Hop-by-hop, routing, destination options, mobility, HIP, shim6.
            0 | 43 | 60 | 135 | 139 | 140 => {
                if p.len() < 8 {
                    return Err(Skip::Truncated);
                }
                let len = (p[1] as usize + 1) * 8;
                if p.len() < len {
                    return Err(Skip::Truncated);
                }
                next = p[0];
                p = &p[len..];
            }
            44 => {
                if p.len() < 8 {
                    return Err(Skip::Truncated);
                }
                let off_m = u16::from_be_bytes([p[2], p[3]]);
                if off_m & 0xfff9 != 0 {
                    return Err(Skip::Fragment);
                }
                next = p[0];
                p = &p[8..];
            }
            // Authentication header: length in 4-byte units, minus 2.
            51 => {
                if p.len() < 8 {
                    return Err(Skip::Truncated);
                }
                let len = (p[1] as usize + 2) * 4;
                if p.len() < len {
                    return Err(Skip::Truncated);
                }
                next = p[0];
                p = &p[len..];
            }
            _ => return transport(next, src, dst, p, cut, depth),
        }
    }
    Err(Skip::Malformed)
}

fn transport(
    proto: u8,
    src: IpAddr,
    dst: IpAddr,
    d: &[u8],
    cut: bool,
    depth: usize,
) -> Result<Segment<'_>, Skip> {
    match proto {
        6 => {
            if d.len() < 20 {
                return Err(Skip::Truncated);
            }
            let off = ((d[12] >> 4) as usize) * 4;
            if off < 20 {
                return Err(Skip::Malformed);
            }
            if d.len() < off {
                return Err(Skip::Truncated);
            }
            Ok(Segment {
                src,
                dst,
                sport: u16::from_be_bytes([d[0], d[1]]),
                dport: u16::from_be_bytes([d[2], d[3]]),
                transport: Transport::Tcp,
                seq: u32::from_be_bytes([d[4], d[5], d[6], d[7]]),
                flags: d[13],
                payload: &d[off..],
                cut,
            })
        }
        17 => {
            if d.len() < 8 {
                return Err(Skip::Truncated);
            }
            let ulen = u16::from_be_bytes([d[4], d[5]]) as usize;
            let (end, cut) = if ulen >= 8 && ulen <= d.len() {
                (ulen, cut)
            } else {
                (d.len(), cut || ulen > d.len())
            };
            let dport = u16::from_be_bytes([d[2], d[3]]);
            // VXLAN and Geneve carry frames over UDP; what does not decode as
            // one stays the UDP datagram it is.
            if depth < MAX_NEST && (VXLAN_PORTS.contains(&dport) || dport == GENEVE_PORT) {
                if let Ok(inner) = udp_tunnel(dport, &d[8..end], depth + 1) {
                    return Ok(inner);
                }
            }
            Ok(Segment {
                src,
                dst,
                sport: u16::from_be_bytes([d[0], d[1]]),
                dport: u16::from_be_bytes([d[2], d[3]]),
                transport: Transport::Udp,
                seq: 0,
                flags: 0,
                payload: &d[8..end],
                cut,
            })
        }
        // IP-in-IP tunnels: 4in4/4in6 and 6in4/6in6.
        4 if depth < MAX_NEST => ipv4(d, depth + 1),
        41 if depth < MAX_NEST => ipv6(d, depth + 1),
        47 if depth < MAX_NEST => gre(d, depth + 1),
        _ => Err(Skip::OtherTransport),
    }
}

/// An Ethernet frame inside a tunnel.
fn ethernet(d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    let (et, rest) = link(DLT_EN10MB, d)?;
    by_ethertype(et, rest, depth)
}

/// What a tunnel header names as its payload: an ethertype, with 0x6558
/// (transparent Ethernet bridging) for a whole frame.
fn tunnel_payload(proto: u16, d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    match proto {
        0x6558 => ethernet(d, depth),
        0x0800 | 0x86dd | 0x8100 | 0x88a8 | 0x8847 | 0x8848 => by_ethertype(proto, d, depth),
        _ => Err(Skip::NotIp),
    }
}

/// GRE (RFC 2784/2890), PPTP's enhanced GRE (version 1, PPP inside) and
/// ERSPAN types II and III (an Ethernet frame after the ERSPAN header).
fn gre(d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    if d.len() < 4 {
        return Err(Skip::Truncated);
    }
    let flags = u16::from_be_bytes([d[0], d[1]]);
    let proto = u16::from_be_bytes([d[2], d[3]]);
    let version = flags & 0x7;
    let mut off = 4;
    if version == 1 {
        // Enhanced GRE: key always present; sequence (S) and ack (A) optional.
        off += 4;
        if flags & 0x1000 != 0 {
            off += 4;
        }
        if flags & 0x0080 != 0 {
            off += 4;
        }
        let p = d.get(off..).ok_or(Skip::Truncated)?;
        let p = if p.len() >= 2 && p[0] == 0xff && p[1] == 0x03 {
            &p[2..]
        } else {
            p
        };
        if proto != 0x880b || p.len() < 2 {
            return Err(Skip::NotIp);
        }
        // PPP protocol field, possibly compressed to one byte.
        let (pp, rest) = if p[0] & 1 == 1 {
            (u16::from(p[0]), &p[1..])
        } else {
            (u16::from_be_bytes([p[0], p[1]]), &p[2..])
        };
        return by_ethertype(ppp_to_ethertype(pp)?, rest, depth);
    }
    if version != 0 {
        return Err(Skip::Malformed);
    }
    for bit in [0x8000u16, 0x2000, 0x1000] {
        if flags & bit != 0 {
            off += 4;
        }
    }
    let p = d.get(off..).ok_or(Skip::Truncated)?;
    match proto {
        // ERSPAN type II: 8-byte header.
        0x88be => ethernet(p.get(8..).ok_or(Skip::Truncated)?, depth),
        // ERSPAN type III: 12 bytes, plus an 8-byte platform subheader when O is set.
        0x22eb => {
            let o = p.get(11).ok_or(Skip::Truncated)? & 1 == 1;
            let skip = if o { 20 } else { 12 };
            ethernet(p.get(skip..).ok_or(Skip::Truncated)?, depth)
        }
        _ => tunnel_payload(proto, p, depth),
    }
}

/// VXLAN (RFC 7348) and Geneve (RFC 8926) payloads of a UDP datagram.
fn udp_tunnel(dport: u16, d: &[u8], depth: usize) -> Result<Segment<'_>, Skip> {
    if d.len() < 8 {
        return Err(Skip::Truncated);
    }
    if dport == GENEVE_PORT {
        if d[0] >> 6 != 0 {
            return Err(Skip::Malformed);
        }
        let opts = ((d[0] & 0x3f) as usize) * 4;
        let proto = u16::from_be_bytes([d[2], d[3]]);
        return tunnel_payload(proto, d.get(8 + opts..).ok_or(Skip::Truncated)?, depth);
    }
    // VXLAN: the I flag says the VNI is valid; the rest of the flags are zero.
    if d[0] & 0x08 == 0 {
        return Err(Skip::Malformed);
    }
    ethernet(&d[8..], depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ipv4_udp(payload: &[u8]) -> Vec<u8> {
        let mut v = vec![
            0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        let total = (20 + 8 + payload.len()) as u16;
        v[2..4].copy_from_slice(&total.to_be_bytes());
        v.extend_from_slice(&1234u16.to_be_bytes());
        v.extend_from_slice(&53u16.to_be_bytes());
        v.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn vlan_qinq_and_mpls() {
        let ip = ipv4_udp(b"x");
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[
            0x88, 0xa8, 0, 1, 0x81, 0x00, 0, 2, 0x88, 0x47, 0, 1, 0x01, 64,
        ]);
        f.extend_from_slice(&ip);
        let s = decode(DLT_EN10MB, &f).unwrap();
        assert_eq!(s.dport, 53);
        assert_eq!(s.payload, b"x");
    }

    #[test]
    fn ipv6_extension_headers_and_tunnels() {
        let udp = [0x04, 0xd2, 0, 53, 0, 9, 0, 0, b'z'];
        let mut v6 = vec![0x60, 0, 0, 0, 0, 0, 0, 64];
        v6.extend_from_slice(&[0; 15]);
        v6.push(1);
        v6.extend_from_slice(&[0; 15]);
        v6.push(2);
        // hop-by-hop (8 bytes) -> destination options (16 bytes) -> fragment (offset 0, last) -> UDP
        let mut ext = vec![60, 0, 1, 4, 0, 0, 0, 0];
        ext.extend_from_slice(&[44, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        ext.extend_from_slice(&[17, 0, 0, 0, 0, 0, 0, 1]);
        ext.extend_from_slice(&udp);
        v6[4..6].copy_from_slice(&(ext.len() as u16).to_be_bytes());
        v6[6] = 0;
        v6.extend_from_slice(&ext);
        let s = decode(DLT_IPV6, &v6).unwrap();
        assert_eq!((s.dport, s.payload), (53, &b"z"[..]));
        // A later fragment is skipped.
        let mut later = v6.clone();
        later[40 + 8 + 16 + 3] = 0x08;
        assert_eq!(decode(DLT_IPV6, &later).err(), Some(Skip::Fragment));
        // 6in4: IPv4 protocol 41 carrying the IPv6 packet.
        let mut v4 = vec![
            0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 41, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        let total = (20 + v6.len()) as u16;
        v4[2..4].copy_from_slice(&total.to_be_bytes());
        v4.extend_from_slice(&v6);
        assert_eq!(decode(DLT_RAW, &v4).unwrap().payload, b"z");
        // OpenBSD loopback (network byte order AF) and PPP.
        let mut lo = vec![0, 0, 0, 24];
        lo.extend_from_slice(&v6);
        assert_eq!(decode(DLT_LOOP, &lo).unwrap().payload, b"z");
        let mut ppp = vec![0xff, 0x03, 0x00, 0x57];
        ppp.extend_from_slice(&v6);
        assert_eq!(decode(DLT_PPP, &ppp).unwrap().payload, b"z");
        assert_eq!(decode(147, &ppp).err(), Some(Skip::UnknownLinktype(147)));
    }

    fn eth(et: u16, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
        f.extend_from_slice(&et.to_be_bytes());
        f.extend_from_slice(payload);
        f
    }

    fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![
            0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, proto, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
        ];
        let total = (20 + payload.len()) as u16;
        v[2..4].copy_from_slice(&total.to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    fn udp(dport: u16, payload: &[u8]) -> Vec<u8> {
        let mut u = 5555u16.to_be_bytes().to_vec();
        u.extend_from_slice(&dport.to_be_bytes());
        u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        u.extend_from_slice(&[0, 0]);
        u.extend_from_slice(payload);
        u
    }

    #[test]
    fn gre_vxlan_geneve_and_erspan_are_opened() {
        let inner = ipv4_udp(b"in");
        // GRE with key and sequence number, IPv4 inside.
        let mut g = vec![0x30, 0, 0x08, 0x00, 0, 0, 0, 7, 0, 0, 0, 1];
        g.extend_from_slice(&inner);
        let f = eth(0x0800, &ipv4(47, &g));
        let s = decode(DLT_EN10MB, &f).unwrap();
        assert_eq!((s.dport, s.payload), (53, &b"in"[..]));
        // GRE carrying an Ethernet frame (transparent bridging) with a VLAN tag.
        let mut tagged = vec![0, 5, 0x08, 0x00];
        tagged.extend_from_slice(&inner);
        let mut g = vec![0, 0, 0x65, 0x58];
        g.extend_from_slice(&eth(0x8100, &tagged));
        assert_eq!(decode(DLT_RAW, &ipv4(47, &g)).unwrap().payload, b"in");
        // ERSPAN type II.
        let mut g = vec![0x10, 0, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0, 0, 1, 0, 0, 0, 0];
        g.extend_from_slice(&eth(0x0800, &inner));
        assert_eq!(decode(DLT_RAW, &ipv4(47, &g)).unwrap().payload, b"in");
        // VXLAN.
        let mut vx = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
        vx.extend_from_slice(&eth(0x0800, &inner));
        let f = ipv4(17, &udp(4789, &vx));
        let s = decode(DLT_RAW, &f).unwrap();
        assert_eq!((s.dport, s.payload), (53, &b"in"[..]));
        // Geneve with 8 bytes of options, Ethernet inside.
        let mut gv = vec![0x02, 0, 0x65, 0x58, 0, 0, 42, 0];
        gv.extend_from_slice(&[0; 8]);
        gv.extend_from_slice(&eth(0x0800, &inner));
        assert_eq!(
            decode(DLT_RAW, &ipv4(17, &udp(6081, &gv))).unwrap().payload,
            b"in"
        );
        // Not VXLAN after all: the outer datagram stands.
        let f = ipv4(17, &udp(4789, b"plain data"));
        let s = decode(DLT_RAW, &f).unwrap();
        assert_eq!((s.dport, s.payload), (4789, &b"plain data"[..]));
        // Truncated tunnel headers never panic.
        let full = ipv4(17, &udp(6081, &gv));
        for n in 0..full.len() {
            let _ = decode(DLT_RAW, &full[..n]);
        }
        let full = ipv4(47, &g);
        for n in 0..full.len() {
            let _ = decode(DLT_RAW, &full[..n]);
        }
    }

    #[test]
    fn ethernet_over_mpls_with_control_word() {
        let inner = ipv4_udp(b"pw");
        let mut m = vec![0, 1, 0x01, 64, 0, 0, 0, 0];
        m.extend_from_slice(&eth(0x0800, &inner));
        let f = eth(0x8847, &m);
        let s = decode(DLT_EN10MB, &f).unwrap();
        assert_eq!(s.payload, b"pw");
    }

    #[test]
    fn ipv6_fragments_are_described_for_reassembly() {
        let mut v6 = vec![0x60, 0, 0, 0, 0, 0, 44, 64];
        v6.extend_from_slice(&[0; 15]);
        v6.push(1);
        v6.extend_from_slice(&[0; 15]);
        v6.push(2);
        // fragment header: next UDP, offset 1 (8 bytes), more fragments, id 9
        let frag = [17, 0, 0, 0x09, 0, 0, 0, 9];
        v6.extend_from_slice(&frag);
        v6.extend_from_slice(b"12345678");
        v6[4..6].copy_from_slice(&16u16.to_be_bytes());
        let f = ipv6_fragment(DLT_IPV6, &v6).unwrap();
        assert_eq!((f.offset, f.more, f.key.2), (8, true, 9));
        assert_eq!(f.header[6], 17);
        assert_eq!(f.payload, b"12345678");
        assert!(ipv6_fragment(DLT_RAW, &ipv4_udp(b"x")).is_none());
    }

    #[test]
    fn null_loopback_both_orders() {
        let ip = ipv4_udp(b"y");
        for hdr in [[2u8, 0, 0, 0], [0, 0, 0, 2]] {
            let mut f = hdr.to_vec();
            f.extend_from_slice(&ip);
            assert_eq!(decode(DLT_NULL, &f).unwrap().payload, b"y");
        }
    }

    #[test]
    fn truncated_headers_are_reported_not_panicking() {
        let ip = ipv4_udp(b"hello");
        for n in 0..ip.len() {
            let _ = decode(DLT_RAW, &ip[..n]);
        }
        assert_eq!(decode(DLT_RAW, &ip[..10]).err(), Some(Skip::Truncated));
        let mut frag = ip.clone();
        frag[6] = 0x20; // more fragments
        assert_eq!(decode(DLT_RAW, &frag).err(), Some(Skip::Fragment));
    }
}
