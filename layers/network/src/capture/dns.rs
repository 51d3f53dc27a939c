//! DNS messages: question names and types, and A/AAAA answers (to tell which
//! addresses were looked up by name before a connection).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Compression pointers followed per name; more means a loop.
const MAX_JUMPS: usize = 32;
/// RFC 1035 limit on a name in wire form.
const MAX_NAME: usize = 255;
/// Questions and answers read per message.
const MAX_RECORDS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub response: bool,
    pub questions: Vec<(String, u16)>,
    /// (owner name, address) from A and AAAA answers.
    pub addresses: Vec<IpAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsError {
    Truncated,
    PointerLoop,
    NameTooLong,
    BadLabel,
}

impl DnsError {
    pub fn as_str(self) -> &'static str {
        match self {
            DnsError::Truncated => "DNS message shorter than its counts and lengths say",
            DnsError::PointerLoop => "DNS name compression pointers loop",
            DnsError::NameTooLong => "DNS name longer than 255 bytes",
            DnsError::BadLabel => "DNS label type is reserved",
        }
    }
}

fn be16(b: &[u8], p: usize) -> Result<u16, DnsError> {
    b.get(p..p + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or(DnsError::Truncated)
}

/// Reads a (possibly compressed) name at `p`; returns it and the offset after it.
pub fn read_name(msg: &[u8], mut p: usize) -> Result<(String, usize), DnsError> {
    let mut name = String::new();
    let mut wire = 0usize;
    let mut after = None;
    let mut jumps = 0;
    loop {
        let len = *msg.get(p).ok_or(DnsError::Truncated)? as usize;
        match len & 0xc0 {
            0x00 => {
                if len == 0 {
                    let end = after.unwrap_or(p + 1);
                    return Ok((name, end));
                }
                let label = msg.get(p + 1..p + 1 + len).ok_or(DnsError::Truncated)?;
                wire += len + 1;
                if wire > MAX_NAME {
                    return Err(DnsError::NameTooLong);
                }
                if !name.is_empty() {
                    name.push('.');
                }
                for &c in label {
                    // tshark shows non-printable bytes escaped; keep names printable.
                    if c.is_ascii_graphic() && c != b'.' {
                        name.push(c as char);
                    } else {
                        name.push_str(&format!("\\{c:03}"));
                    }
                }
                p += 1 + len;
            }
            0xc0 => {
                let lo = *msg.get(p + 1).ok_or(DnsError::Truncated)? as usize;
                jumps += 1;
                if jumps > MAX_JUMPS {
                    return Err(DnsError::PointerLoop);
                }
                after.get_or_insert(p + 2);
                p = ((len & 0x3f) << 8) | lo;
            }
            _ => return Err(DnsError::BadLabel),
        }
    }
}

/// Parses a DNS message (without the TCP length prefix).
pub fn parse(msg: &[u8]) -> Result<Message, DnsError> {
    if msg.len() < 12 {
        return Err(DnsError::Truncated);
    }
    let flags = be16(msg, 2)?;
    let qd = be16(msg, 4)? as usize;
    let an = be16(msg, 6)? as usize;
    let mut out = Message {
        response: flags & 0x8000 != 0,
        questions: Vec::new(),
        addresses: Vec::new(),
    };
    let mut p = 12;
    for _ in 0..qd.min(MAX_RECORDS) {
        let (name, q) = read_name(msg, p)?;
        let ty = be16(msg, q)?;
        be16(msg, q + 2)?;
        out.questions.push((name, ty));
        p = q + 4;
    }
    if !out.response || qd > MAX_RECORDS {
        return Ok(out);
    }
    for _ in 0..an.min(MAX_RECORDS) {
        let Ok((_, q)) = read_name(msg, p) else { break };
        let (Ok(ty), Ok(rdlen)) = (be16(msg, q), be16(msg, q + 8)) else {
            break;
        };
        let rd = q + 10;
        let Some(data) = msg.get(rd..rd + rdlen as usize) else {
            break;
        };
        match (ty, data.len()) {
            (1, 4) => out.addresses.push(IpAddr::V4(Ipv4Addr::new(
                data[0], data[1], data[2], data[3],
            ))),
            (28, 16) => {
                let mut a = [0u8; 16];
                a.copy_from_slice(data);
                out.addresses.push(IpAddr::V6(Ipv6Addr::from(a)));
            }
            _ => {}
        }
        p = rd + rdlen as usize;
    }
    Ok(out)
}

/// DNS query types by their usual mnemonic (for reports).
pub fn qtype_name(t: u16) -> String {
    match t {
        1 => "A".into(),
        2 => "NS".into(),
        5 => "CNAME".into(),
        6 => "SOA".into(),
        12 => "PTR".into(),
        15 => "MX".into(),
        16 => "TXT".into(),
        28 => "AAAA".into(),
        33 => "SRV".into(),
        64 => "SVCB".into(),
        65 => "HTTPS".into(),
        255 => "ANY".into(),
        n => format!("TYPE{n}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn query(name: &str, qtype: u16) -> Vec<u8> {
        let mut m = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        for l in name.split('.') {
            m.push(l.len() as u8);
            m.extend_from_slice(l.as_bytes());
        }
        m.push(0);
        m.extend_from_slice(&qtype.to_be_bytes());
        m.extend_from_slice(&[0, 1]);
        m
    }

    #[test]
    fn query_and_answer() {
        let q = query("api.anthropic.com", 1);
        let m = parse(&q).unwrap();
        assert_eq!(m.questions, vec![("api.anthropic.com".into(), 1)]);
        let mut r = q.clone();
        r[2] = 0x81;
        r[7] = 1;
        r.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 160, 79, 104, 10]);
        let m = parse(&r).unwrap();
        assert!(m.response);
        assert_eq!(
            m.addresses,
            vec!["160.79.104.10".parse::<IpAddr>().unwrap()]
        );
    }

    #[test]
    fn pointer_loop_and_bogus_lengths() {
        let mut m = vec![0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
        assert_eq!(parse(&m), Err(DnsError::PointerLoop));
        let mut m = vec![0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[60, b'a', b'b']);
        assert_eq!(parse(&m), Err(DnsError::Truncated));
        let mut m = vec![0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        for _ in 0..10 {
            m.push(63);
            m.extend_from_slice(&[b'a'; 63]);
        }
        m.push(0);
        assert_eq!(parse(&m), Err(DnsError::NameTooLong));
        let q = query("a.example", 16);
        for n in 0..q.len() {
            let _ = parse(&q[..n]);
        }
    }
}
