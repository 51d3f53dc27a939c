//! TLS: a push parser over the client's byte stream that reassembles handshake
//! messages across records, and the ClientHello parser that finds the SNI.

/// Largest handshake message buffered (a post-quantum ClientHello is ~1.8 KB;
/// real ones stay far below this).
pub const MAX_HANDSHAKE: usize = 64 * 1024;
/// TLSPlaintext.length limit (2^14) plus the slack RFC 8446 allows ciphertext.
const MAX_RECORD: usize = 16384 + 2048;

/// What a ClientHello said about its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    /// server_name host_name, as sent (not normalised).
    pub sni: Option<String>,
    /// An encrypted_client_hello extension (0xfe0d) is present (real or GREASE).
    pub ech: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelloError {
    Truncated,
    Bogus(&'static str),
}

fn be16(b: &[u8]) -> usize {
    u16::from_be_bytes([b[0], b[1]]) as usize
}

/// Parses a ClientHello body (after the 4-byte handshake header).
pub fn parse_client_hello(b: &[u8]) -> Result<Hello, HelloError> {
    let mut r = Cursor { b, p: 0 };
    r.take(2)?; // legacy_version
    r.take(32)?; // random
    let sid = r.u8()? as usize;
    if sid > 32 {
        return Err(HelloError::Bogus("session id longer than 32 bytes"));
    }
    r.take(sid)?;
    let cs = r.u16()?;
    if cs % 2 != 0 {
        return Err(HelloError::Bogus("odd cipher suites length"));
    }
    r.take(cs)?;
    let comp = r.u8()? as usize;
    r.take(comp)?;
    let mut hello = Hello {
        sni: None,
        ech: false,
    };
    if r.p == b.len() {
        return Ok(hello); // no extensions (SSL 3.0 style)
    }
    let ext_len = r.u16()?;
    let exts = r.take(ext_len)?;
    let mut e = Cursor { b: exts, p: 0 };
    while e.p < exts.len() {
        let ty = e.u16()?;
        let len = e.u16()?;
        let body = e.take(len)?;
        match ty {
            0 => hello.sni = server_name(body)?,
            0xfe0d => hello.ech = true,
            _ => {}
        }
    }
    Ok(hello)
}

fn server_name(b: &[u8]) -> Result<Option<String>, HelloError> {
    if b.is_empty() {
        return Ok(None); // the server's empty echo; a client never sends it
    }
    let mut r = Cursor { b, p: 0 };
    let list = r.u16()?;
    let l = r.take(list)?;
    let mut c = Cursor { b: l, p: 0 };
    while c.p < l.len() {
        let ty = c.u8()?;
        let n = c.u16()?;
        let name = c.take(n)?;
        if ty == 0 {
            return Ok(Some(String::from_utf8_lossy(name).into_owned()));
        }
    }
    Ok(None)
}

struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], HelloError> {
        if self.b.len() - self.p < n {
            return Err(HelloError::Truncated);
        }
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, HelloError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<usize, HelloError> {
        Ok(be16(self.take(2)?))
    }
}

/// Reassembles handshake messages from a TLS record stream.
#[derive(Debug, Default)]
pub struct TlsStream {
    hdr: [u8; 5],
    hdr_len: usize,
    /// Bytes left in the current record.
    rec_left: usize,
    rec_type: u8,
    hs: Vec<u8>,
    hellos: u8,
    pub done: bool,
}

/// What feeding bytes produced.
#[derive(Debug, PartialEq, Eq)]
pub enum TlsEvent {
    Hello(Hello),
    /// The stream stopped being a TLS handshake we can follow.
    Bogus(&'static str),
}

impl TlsStream {
    /// `true` when the first bytes look like a TLS handshake record.
    pub fn sniff(b: &[u8]) -> Option<bool> {
        match b {
            [] => None,
            [0x16] | [0x16, 0x03] => None,
            [0x16, 0x03, v, ..] => Some(*v <= 0x04),
            _ => Some(false),
        }
    }

    pub fn buffered(&self) -> usize {
        self.hs.capacity()
    }

    /// Feeds in-order stream bytes; pushes any complete ClientHello found.
    pub fn feed(&mut self, mut d: &[u8], out: &mut Vec<TlsEvent>) {
        while !d.is_empty() && !self.done {
            if self.rec_left == 0 {
                let k = (5 - self.hdr_len).min(d.len());
                self.hdr[self.hdr_len..self.hdr_len + k].copy_from_slice(&d[..k]);
                self.hdr_len += k;
                d = &d[k..];
                if self.hdr_len < 5 {
                    return;
                }
                self.hdr_len = 0;
                self.rec_type = self.hdr[0];
                let len = be16(&self.hdr[3..5]);
                if self.hdr[1] != 3 || len > MAX_RECORD {
                    out.push(TlsEvent::Bogus(
                        "TLS record header with a bad version or length",
                    ));
                    self.done = true;
                    return;
                }
                match self.rec_type {
                    // ChangeCipherSpec and alerts: skip; handshake: collect.
                    0x14..=0x16 => {}
                    // Application data: the handshake is over for our purposes.
                    _ => {
                        self.done = true;
                        return;
                    }
                }
                self.rec_left = len;
                continue;
            }
            let k = self.rec_left.min(d.len());
            if self.rec_type == 0x16 {
                if self.hs.len() + k > MAX_HANDSHAKE {
                    out.push(TlsEvent::Bogus("handshake message larger than 64 KiB"));
                    self.done = true;
                    return;
                }
                self.hs.extend_from_slice(&d[..k]);
            }
            self.rec_left -= k;
            d = &d[k..];
            self.drain_messages(out);
        }
    }

    fn drain_messages(&mut self, out: &mut Vec<TlsEvent>) {
        while self.hs.len() >= 4 && !self.done {
            let ty = self.hs[0];
            let len = ((self.hs[1] as usize) << 16) | be16(&self.hs[2..4]);
            if len > MAX_HANDSHAKE {
                out.push(TlsEvent::Bogus("handshake message length over 64 KiB"));
                self.done = true;
                return;
            }
            if self.hs.len() < 4 + len {
                return;
            }
            if ty != 1 {
                // ClientKeyExchange etc.: no further ClientHello will follow.
                self.done = true;
                return;
            }
            match parse_client_hello(&self.hs[4..4 + len]) {
                Ok(h) => out.push(TlsEvent::Hello(h)),
                Err(HelloError::Truncated) => out.push(TlsEvent::Bogus(
                    "ClientHello field runs past its message length",
                )),
                Err(HelloError::Bogus(why)) => out.push(TlsEvent::Bogus(why)),
            }
            self.hs.drain(..4 + len);
            self.hellos += 1;
            // A second ClientHello follows a HelloRetryRequest; never more.
            if self.hellos >= 2 {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal but well-formed ClientHello handshake message with `sni`.
    pub fn client_hello(sni: &str, pad: usize) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend_from_slice(&[7u8; 32]);
        body.push(0);
        body.extend_from_slice(&[0, 2, 0x13, 0x01]);
        body.extend_from_slice(&[1, 0]);
        let mut exts = Vec::new();
        let n = sni.len();
        exts.extend_from_slice(&[0, 0]);
        exts.extend_from_slice(&((n + 5) as u16).to_be_bytes());
        exts.extend_from_slice(&((n + 3) as u16).to_be_bytes());
        exts.push(0);
        exts.extend_from_slice(&(n as u16).to_be_bytes());
        exts.extend_from_slice(sni.as_bytes());
        // padding extension (21) to make it large
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

    /// Wraps handshake bytes into records of at most `max` bytes each.
    pub fn records(hs: &[u8], max: usize) -> Vec<u8> {
        let mut v = Vec::new();
        for c in hs.chunks(max) {
            v.extend_from_slice(&[0x16, 3, 1]);
            v.extend_from_slice(&(c.len() as u16).to_be_bytes());
            v.extend_from_slice(c);
        }
        v
    }

    #[test]
    fn sni_across_records_and_byte_by_byte() {
        let stream = records(&client_hello("api.anthropic.com", 1500), 100);
        let mut t = TlsStream::default();
        let mut out = Vec::new();
        for b in stream.chunks(1) {
            t.feed(b, &mut out);
        }
        assert_eq!(
            out,
            vec![TlsEvent::Hello(Hello {
                sni: Some("api.anthropic.com".into()),
                ech: false
            })]
        );
    }

    #[test]
    fn bogus_lengths_give_an_event_not_a_panic() {
        let mut hs = client_hello("x.example", 0);
        // claim a larger extensions block than present
        let l = hs.len();
        hs[l - 20] = 0xff;
        let mut t = TlsStream::default();
        let mut out = Vec::new();
        t.feed(&records(&hs, 16000), &mut out);
        assert!(matches!(
            out.first(),
            Some(TlsEvent::Bogus(_)) | Some(TlsEvent::Hello(_))
        ));
        let mut t = TlsStream::default();
        out.clear();
        t.feed(&[0x16, 3, 1, 0xff, 0xff], &mut out);
        assert!(matches!(out[0], TlsEvent::Bogus(_)));
        for n in 0..hs.len() {
            let _ = parse_client_hello(&hs[4..4 + n.min(hs.len() - 4)]);
        }
    }
}
