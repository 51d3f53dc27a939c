//! Streaming pcap and pcapng record reader.
//!
//! Reads through a large reusable buffer and hands out one packet at a time as a
//! borrowed slice; memory stays bounded by the buffer size plus the largest
//! accepted record, whatever the file size.

use super::CaptureError;
use std::io::Read;

/// Read chunk once the file proves larger than the first read.
const CHUNK: usize = 4 << 20;
/// First read: small files never allocate the full chunk.
const FIRST_CHUNK: usize = 64 << 10;
/// Largest packet record accepted (pcap caplen / pcapng packet block). Anything
/// larger is a corrupt length, not a packet.
pub const MAX_RECORD: usize = 16 << 20;

/// One captured packet.
pub struct Packet<'a> {
    /// 1-based frame number, as Wireshark counts (every packet record).
    pub frame: u64,
    pub linktype: u32,
    pub data: &'a [u8],
    /// Original length on the wire; larger than `data.len()` when snaplen cut it.
    pub orig_len: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pcap,
    Pcapng,
}

struct Iface {
    linktype: u32,
}

/// Non-fatal oddities met while reading records.
#[derive(Debug, Default, Clone)]
pub struct ReaderNotes {
    pub skipped_blocks: u64,
    pub oversized_blocks: u64,
    pub unknown_interface: u64,
    pub truncated_tail: Option<String>,
}

pub struct RecordReader<R: Read> {
    src: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// File offset of `buf[start]`.
    offset: u64,
    path: String,
    pub format: Format,
    big_endian: bool,
    pcap_linktype: u32,
    ifaces: Vec<Iface>,
    frame: u64,
    pub notes: ReaderNotes,
}

fn rd16(b: &[u8], be: bool) -> u16 {
    let a = [b[0], b[1]];
    if be {
        u16::from_be_bytes(a)
    } else {
        u16::from_le_bytes(a)
    }
}

fn rd32(b: &[u8], be: bool) -> u32 {
    let a = [b[0], b[1], b[2], b[3]];
    if be {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

impl<R: Read> RecordReader<R> {
    /// Reads the file header and detects the format from the magic number.
    pub fn new(src: R, path: &str) -> Result<Self, CaptureError> {
        let mut r = RecordReader {
            src,
            buf: vec![0; FIRST_CHUNK],
            start: 0,
            end: 0,
            eof: false,
            offset: 0,
            path: path.to_string(),
            format: Format::Pcap,
            big_endian: false,
            pcap_linktype: 0,
            ifaces: Vec::new(),
            frame: 0,
            notes: ReaderNotes::default(),
        };
        r.fill(24)?;
        if r.avail() < 4 {
            return Err(r.err(
                0,
                "a pcap or pcapng magic number (file is shorter than 4 bytes)",
            ));
        }
        let magic = [r.buf[0], r.buf[1], r.buf[2], r.buf[3]];
        match magic {
            [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => r.big_endian = false,
            [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => r.big_endian = true,
            [0x0a, 0x0d, 0x0d, 0x0a] => {
                r.format = Format::Pcapng;
                return Ok(r);
            }
            _ => {
                return Err(r.err(
                    0,
                    &format!(
                        "a pcap (a1b2c3d4 / a1b23c4d) or pcapng (0a0d0d0a) magic number, found {:02x}{:02x}{:02x}{:02x}",
                        magic[0], magic[1], magic[2], magic[3]
                    ),
                ))
            }
        }
        if r.avail() < 24 {
            return Err(r.err(r.avail() as u64, "a complete 24-byte pcap file header"));
        }
        let be = r.big_endian;
        r.pcap_linktype = rd32(&r.buf[20..24], be) & 0x0fff_ffff;
        r.consume(24);
        Ok(r)
    }

    fn avail(&self) -> usize {
        self.end - self.start
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    fn err(&self, at: u64, expected: &str) -> CaptureError {
        CaptureError::Format {
            path: self.path.clone(),
            offset: at,
            expected: expected.to_string(),
        }
    }

    /// Makes at least `n` bytes available unless the file ends first.
    fn fill(&mut self, n: usize) -> Result<(), CaptureError> {
        if self.avail() >= n || self.eof {
            return Ok(());
        }
        // The first read filled the small buffer: a big file, read in big chunks.
        if self.buf.len() < CHUNK && self.end == self.buf.len() {
            self.buf.resize(CHUNK, 0);
        }
        if self.start + n > self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if n > self.buf.len() {
                self.buf.resize(n, 0);
            }
        }
        while self.avail() < n {
            let got = loop {
                match self.src.read(&mut self.buf[self.end..]) {
                    Ok(g) => break g,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        return Err(CaptureError::Io {
                            path: self.path.clone(),
                            error: e,
                        })
                    }
                }
            };
            if got == 0 {
                self.eof = true;
                break;
            }
            self.end += got;
        }
        Ok(())
    }

    /// Shrinks the buffer back after an unusually large record.
    fn shrink(&mut self) {
        if self.buf.len() > CHUNK && self.avail() <= CHUNK / 2 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            self.buf.truncate(CHUNK);
            self.buf.shrink_to_fit();
        }
    }

    /// Discards `n` bytes without keeping them (for oversized blocks).
    fn skip(&mut self, mut n: u64) -> Result<bool, CaptureError> {
        while n > 0 {
            if self.avail() == 0 {
                self.fill(1)?;
                if self.avail() == 0 {
                    return Ok(false);
                }
            }
            let k = (self.avail() as u64).min(n) as usize;
            self.consume(k);
            n -= k as u64;
        }
        Ok(true)
    }

    /// The next packet, `Ok(None)` at the end. A cut-off last record ends the
    /// file with a note rather than an error, like tshark does.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        match self.format {
            Format::Pcap => self.next_pcap(),
            Format::Pcapng => self.next_pcapng(),
        }
    }

    fn next_pcap(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        self.shrink();
        self.fill(16)?;
        if self.avail() == 0 {
            return Ok(None);
        }
        if self.avail() < 16 {
            self.notes.truncated_tail = Some(format!(
                "byte {}: record header cut off ({} of 16 bytes)",
                self.offset,
                self.avail()
            ));
            return Ok(None);
        }
        let be = self.big_endian;
        let h = &self.buf[self.start..self.start + 16];
        let caplen = rd32(&h[8..12], be) as usize;
        let orig_len = rd32(&h[12..16], be);
        if caplen > MAX_RECORD {
            return Err(self.err(
                self.offset + 8,
                &format!(
                    "a packet length (incl_len) of at most {MAX_RECORD} bytes, found {caplen}"
                ),
            ));
        }
        self.fill(16 + caplen)?;
        if self.avail() < 16 + caplen {
            self.notes.truncated_tail = Some(format!(
                "byte {}: packet record cut off ({} of {} bytes)",
                self.offset,
                self.avail(),
                16 + caplen
            ));
            return Ok(None);
        }
        let s = self.start + 16;
        self.consume(16 + caplen);
        self.frame += 1;
        Ok(Some(Packet {
            frame: self.frame,
            linktype: self.pcap_linktype,
            data: &self.buf[s..s + caplen],
            orig_len,
        }))
    }

    fn next_pcapng(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        loop {
            self.shrink();
            self.fill(12)?;
            if self.avail() == 0 {
                return Ok(None);
            }
            if self.avail() < 12 {
                self.notes.truncated_tail = Some(format!(
                    "byte {}: block header cut off ({} of 12 bytes)",
                    self.offset,
                    self.avail()
                ));
                return Ok(None);
            }
            let at = self.offset;
            let h = &self.buf[self.start..self.start + 12];
            let raw_type = [h[0], h[1], h[2], h[3]];
            if raw_type == [0x0a, 0x0d, 0x0d, 0x0a] {
                // Section header: its byte-order magic decides this section.
                let bom = [h[8], h[9], h[10], h[11]];
                self.big_endian = match bom {
                    [0x1a, 0x2b, 0x3c, 0x4d] => true,
                    [0x4d, 0x3c, 0x2b, 0x1a] => false,
                    _ => return Err(self.err(at + 8, "a section header byte-order magic 1a2b3c4d")),
                };
                self.ifaces.clear();
            }
            let be = self.big_endian;
            let btype = rd32(&h[0..4], be);
            let blen = rd32(&h[4..8], be) as usize;
            if blen < 12 || blen % 4 != 0 {
                return Err(self.err(
                    at + 4,
                    &format!("a block total length that is a multiple of 4 and at least 12, found {blen}"),
                ));
            }
            if blen > MAX_RECORD {
                // Enormous block: skip its bytes without holding them.
                self.notes.oversized_blocks += 1;
                tracing::warn!("{}: byte {at}: block of {blen} bytes skipped", self.path);
                if !self.skip(blen as u64)? {
                    self.notes.truncated_tail = Some(format!(
                        "byte {at}: block of {blen} bytes cut off by the end of the file"
                    ));
                    return Ok(None);
                }
                continue;
            }
            self.fill(blen)?;
            if self.avail() < blen {
                self.notes.truncated_tail = Some(format!(
                    "byte {at}: block cut off ({} of {blen} bytes)",
                    self.avail()
                ));
                return Ok(None);
            }
            let s = self.start;
            let trailer = rd32(&self.buf[s + blen - 4..s + blen], be) as usize;
            if trailer != blen {
                return Err(self.err(
                    at + blen as u64 - 4,
                    &format!("the trailing block length {blen} repeated, found {trailer}"),
                ));
            }
            self.consume(blen);
            let body = s + 8..s + blen - 4;
            match btype {
                // Interface description block.
                0x0000_0001 => {
                    let b = &self.buf[body];
                    if b.len() < 8 {
                        return Err(
                            self.err(at + 8, "an interface description of at least 8 bytes")
                        );
                    }
                    let lt = rd16(&b[0..2], be) as u32;
                    self.ifaces.push(Iface { linktype: lt });
                }
                // Enhanced packet block.
                0x0000_0006 | 0x0000_0002 => {
                    let b = &self.buf[body.clone()];
                    if b.len() < 20 {
                        return Err(self.err(at + 8, "a packet block body of at least 20 bytes"));
                    }
                    let iface = if btype == 6 {
                        rd32(&b[0..4], be) as usize
                    } else {
                        rd16(&b[0..2], be) as usize
                    };
                    let cap = rd32(&b[12..16], be) as usize;
                    let orig = rd32(&b[16..20], be);
                    if cap > b.len() - 20 {
                        return Err(self.err(
                            at + 20,
                            &format!(
                                "a captured length within the block ({} bytes), found {cap}",
                                b.len() - 20
                            ),
                        ));
                    }
                    self.frame += 1;
                    let Some(i) = self.ifaces.get(iface) else {
                        self.notes.unknown_interface += 1;
                        continue;
                    };
                    let d0 = body.start + 20;
                    return Ok(Some(Packet {
                        frame: self.frame,
                        linktype: i.linktype,
                        data: &self.buf[d0..d0 + cap],
                        orig_len: orig,
                    }));
                }
                // Simple packet block: interface 0, no captured length field.
                0x0000_0003 => {
                    let b = &self.buf[body.clone()];
                    if b.len() < 4 {
                        return Err(
                            self.err(at + 8, "a simple packet block body of at least 4 bytes")
                        );
                    }
                    let orig = rd32(&b[0..4], be);
                    let cap = (orig as usize).min(b.len() - 4);
                    self.frame += 1;
                    let Some(i) = self.ifaces.first() else {
                        self.notes.unknown_interface += 1;
                        continue;
                    };
                    let d0 = body.start + 4;
                    return Ok(Some(Packet {
                        frame: self.frame,
                        linktype: i.linktype,
                        data: &self.buf[d0..d0 + cap],
                        orig_len: orig,
                    }));
                }
                0x0a0d_0d0a | 0x1a2b_3c4d => {}
                _ => self.notes.skipped_blocks += 1,
            }
        }
    }

    /// Current byte offset in the file.
    pub fn offset(&self) -> u64 {
        self.offset
    }
}
