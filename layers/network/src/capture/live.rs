//! Live capture on Linux with an `AF_PACKET` socket (needs `CAP_NET_RAW`;
//! no libpcap or tcpdump). Packets are written as a pcapng stream, which the
//! ordinary reader and scanner audit as it arrives, and which can be saved
//! (`-w FILE`) as it is.
//!
//! The socket calls are the only unsafe code of the layer; each says why it
//! is sound.
#![allow(unsafe_code)]

use super::decode::{DLT_EN10MB, DLT_RAW};
use super::{CaptureError, CaptureSummary, Event, ScanOptions};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Bytes kept of each packet.
pub const SNAPLEN: usize = 65_535;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("{iface}: no such network interface")]
    NoInterface { iface: String },
    #[error("capturing on {iface} needs the CAP_NET_RAW capability (run as root, or give it to the binary: `setcap cap_net_raw+ep $(command -v guard)`)")]
    NoPermission { iface: String },
    #[error("{iface}: {what}: {error}")]
    Os {
        iface: String,
        what: &'static str,
        error: std::io::Error,
    },
    #[error("{0}")]
    Capture(#[from] CaptureError),
    #[error("{path}: cannot write the capture: {error}")]
    Write { path: String, error: std::io::Error },
}

/// An `AF_PACKET` socket bound to one interface.
pub struct LiveSocket {
    fd: OwnedFd,
    iface: String,
    linktype: u32,
    loopback: bool,
}

/// `ARPHRD_*` of the interface (from sysfs) and its index.
fn iface_info(iface: &str) -> Result<(u32, i32), LiveError> {
    let none = || LiveError::NoInterface {
        iface: iface.to_string(),
    };
    if iface.is_empty() || iface.contains('/') || iface.starts_with('.') {
        return Err(none());
    }
    let read = |f: &str| {
        std::fs::read_to_string(format!("/sys/class/net/{iface}/{f}"))
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
    };
    let hatype = read("type").ok_or_else(none)?;
    let index = read("ifindex").ok_or_else(none)?;
    Ok((
        u32::try_from(hatype).map_err(|_| none())?,
        i32::try_from(index).map_err(|_| none())?,
    ))
}

const ARPHRD_ETHER: u32 = 1;
const ARPHRD_LOOPBACK: u32 = 772;
const PACKET_OUTGOING: u8 = 4;

impl LiveSocket {
    /// Opens and binds the socket; a missing privilege is named.
    pub fn open(iface: &str) -> Result<LiveSocket, LiveError> {
        let (hatype, index) = iface_info(iface)?;
        let linktype = match hatype {
            ARPHRD_ETHER | ARPHRD_LOOPBACK => DLT_EN10MB,
            // tun, WireGuard, PPP and other interfaces without a link header.
            _ => DLT_RAW,
        };
        // Interfaces without a link header give the IP packet with SOCK_DGRAM.
        let kind = if linktype == DLT_EN10MB {
            libc::SOCK_RAW
        } else {
            libc::SOCK_DGRAM
        };
        let proto = (libc::ETH_P_ALL as u16).to_be();
        // SAFETY: socket(2) takes plain integers and returns a new descriptor
        // or -1; nothing is borrowed.
        let raw = unsafe { libc::socket(libc::AF_PACKET, kind | libc::SOCK_CLOEXEC, proto.into()) };
        if raw < 0 {
            let e = std::io::Error::last_os_error();
            return Err(match e.raw_os_error() {
                Some(libc::EPERM) | Some(libc::EACCES) => LiveError::NoPermission {
                    iface: iface.to_string(),
                },
                _ => LiveError::Os {
                    iface: iface.to_string(),
                    what: "cannot open a packet socket",
                    error: e,
                },
            });
        }
        // SAFETY: `raw` is a descriptor socket(2) just returned and nothing
        // else owns; OwnedFd closes it once.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let os = |what: &'static str| LiveError::Os {
            iface: iface.to_string(),
            what,
            error: std::io::Error::last_os_error(),
        };
        // SAFETY: sockaddr_ll is plain old data; all-zero is a valid value.
        let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = proto;
        addr.sll_ifindex = index;
        // SAFETY: `addr` is a live, initialised sockaddr_ll and the length
        // passed is its size; bind(2) only reads it.
        let rc = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                std::ptr::addr_of!(addr).cast::<libc::sockaddr>(),
                std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if rc != 0 {
            return Err(os("cannot bind the packet socket to the interface"));
        }
        // Reads wake up every 100 ms so a stop request is seen.
        let tv = libc::timeval {
            tv_sec: 0,
            tv_usec: 100_000,
        };
        // SAFETY: `tv` is a live timeval and the length is its size;
        // setsockopt(2) only reads it.
        let rc = unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                std::ptr::addr_of!(tv).cast::<libc::c_void>(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if rc != 0 {
            return Err(os("cannot set the read timeout"));
        }
        Ok(LiveSocket {
            fd,
            iface: iface.to_string(),
            linktype,
            loopback: hatype == ARPHRD_LOOPBACK,
        })
    }

    pub fn linktype(&self) -> u32 {
        self.linktype
    }

    /// The next packet into `buf`: `(captured, original length)`, or `None`
    /// when the read timed out (or the packet is a loopback duplicate).
    fn next(&self, buf: &mut [u8]) -> Result<Option<(usize, usize)>, LiveError> {
        // SAFETY: sockaddr_ll is plain old data; all-zero is a valid value.
        let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        // SAFETY: `buf` is a live, writable buffer of `buf.len()` bytes;
        // `from`/`len` are live and describe the sockaddr_ll recvfrom(2)
        // may write. MSG_TRUNC makes the return value the real length, which
        // is never used to index past `buf.len()`.
        let n = unsafe {
            libc::recvfrom(
                self.fd.as_raw_fd(),
                buf.as_mut_ptr().cast::<libc::c_void>(),
                buf.len(),
                libc::MSG_TRUNC,
                std::ptr::addr_of_mut!(from).cast::<libc::sockaddr>(),
                &mut len,
            )
        };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            return match e.kind() {
                std::io::ErrorKind::WouldBlock
                | std::io::ErrorKind::TimedOut
                | std::io::ErrorKind::Interrupted => Ok(None),
                _ => Err(LiveError::Os {
                    iface: self.iface.clone(),
                    what: "cannot read a packet",
                    error: e,
                }),
            };
        }
        // On loopback every packet is seen leaving and arriving: keep one.
        if self.loopback && from.sll_pkttype == PACKET_OUTGOING {
            return Ok(None);
        }
        let orig = n as usize;
        Ok(Some((orig.min(buf.len()), orig)))
    }
}

/// pcapng blocks: section header, one interface, enhanced packet blocks
/// (microsecond timestamps, the default resolution).
pub mod pcapng {
    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let pad = (4 - body.len() % 4) % 4;
        let total = (12 + body.len() + pad) as u32;
        let mut b = Vec::with_capacity(total as usize);
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&total.to_le_bytes());
        b.extend_from_slice(body);
        b.extend_from_slice(&[0u8; 3][..pad]);
        b.extend_from_slice(&total.to_le_bytes());
        b
    }

    /// Section header and interface description for `linktype`.
    pub fn header(linktype: u32, snaplen: u32) -> Vec<u8> {
        let mut shb = Vec::new();
        shb.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
        shb.extend_from_slice(&1u16.to_le_bytes());
        shb.extend_from_slice(&0u16.to_le_bytes());
        shb.extend_from_slice(&(-1i64).to_le_bytes());
        let mut out = block(0x0A0D_0D0A, &shb);
        let mut idb = Vec::new();
        idb.extend_from_slice(&(linktype as u16).to_le_bytes());
        idb.extend_from_slice(&0u16.to_le_bytes());
        idb.extend_from_slice(&snaplen.to_le_bytes());
        out.extend(block(1, &idb));
        out
    }

    /// One packet of interface 0.
    pub fn packet(micros: u64, data: &[u8], orig_len: u32) -> Vec<u8> {
        let mut epb = Vec::with_capacity(20 + data.len());
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&((micros >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(micros as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(&orig_len.to_le_bytes());
        epb.extend_from_slice(data);
        block(6, &epb)
    }
}

/// A `Read` over the chunks the capture thread sends; end of stream when
/// the thread is done.
struct ChannelReader {
    rx: mpsc::Receiver<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.cur.len() {
            match self.rx.recv() {
                Ok(c) => {
                    self.cur = c;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// What a live capture gave: the scan and the packets read.
pub struct LiveResult {
    pub summary: CaptureSummary,
    pub packets: u64,
}

/// Captures on `sock` until `stop` is set, scanning as packets arrive
/// (events go to `sink`), and writing the pcapng stream to `save` if given
/// (`save_name` names it in errors). `name` names the capture in the report.
pub fn capture(
    sock: LiveSocket,
    stop: Arc<AtomicBool>,
    mut save: Option<(Box<dyn Write + Send>, String)>,
    name: &str,
    opts: &ScanOptions,
    sink: &mut dyn FnMut(&Event),
) -> Result<LiveResult, LiveError> {
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(1024);
    let linktype = sock.linktype();
    let reader = std::thread::Builder::new()
        .name("capture".into())
        .spawn(move || -> Result<u64, LiveError> {
            let send = |bytes: Vec<u8>, save: &mut Option<(Box<dyn Write + Send>, String)>| {
                if let Some((w, path)) = save.as_mut() {
                    w.write_all(&bytes).map_err(|e| LiveError::Write {
                        path: path.clone(),
                        error: e,
                    })?;
                }
                // The scanner stopped reading (it failed): nothing more to do.
                let _ = tx.send(bytes);
                Ok::<(), LiveError>(())
            };
            send(pcapng::header(linktype, SNAPLEN as u32), &mut save)?;
            let mut buf = vec![0u8; SNAPLEN];
            let mut packets = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let Some((n, orig)) = sock.next(&mut buf)? else {
                    continue;
                };
                let micros = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or(Duration::ZERO)
                    .as_micros() as u64;
                packets += 1;
                send(
                    pcapng::packet(micros, &buf[..n], orig.min(u32::MAX as usize) as u32),
                    &mut save,
                )?;
            }
            if let Some((w, path)) = save.as_mut() {
                w.flush().map_err(|e| LiveError::Write {
                    path: path.clone(),
                    error: e,
                })?;
            }
            Ok(packets)
        })
        .map_err(|e| LiveError::Os {
            iface: name.to_string(),
            what: "cannot start the capture thread",
            error: e,
        })?;
    let src = ChannelReader {
        rx,
        cur: Vec::new(),
        pos: 0,
    };
    let scanned = super::scan_reader(src, name, opts, sink);
    let packets = match reader.join() {
        Ok(r) => r?,
        Err(_) => {
            return Err(LiveError::Os {
                iface: name.to_string(),
                what: "capture thread",
                error: std::io::Error::other("panicked"),
            })
        }
    };
    Ok(LiveResult {
        summary: scanned?,
        packets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_interfaces_are_named() {
        for bad in ["no-such-if0", "", "../etc", "."] {
            match LiveSocket::open(bad) {
                Err(LiveError::NoInterface { iface }) => assert_eq!(iface, bad),
                Err(e) => panic!("{bad}: {e}"),
                Ok(_) => panic!("{bad}: opened"),
            }
        }
    }

    #[test]
    fn pcapng_stream_reads_back() {
        let mut v = pcapng::header(DLT_RAW, 65535);
        // An IPv4/UDP packet to the discard port with a one-byte payload.
        let ip = [
            0x45, 0, 0, 29, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x04, 0xd2, 0,
            9, 0, 9, 0, 0, b'x',
        ];
        v.extend(pcapng::packet(1_700_000_000_000_000, &ip, ip.len() as u32));
        let s =
            super::super::scan_reader(&v[..], "t", &ScanOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(s.format, "pcapng");
        assert_eq!(s.counters.frames, 1);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }
}
