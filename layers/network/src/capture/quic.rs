//! QUIC v1 (RFC 9001) and v2 (RFC 9369) Initial packets: key derivation from
//! the client's first Destination Connection ID, header protection removal,
//! AEAD decryption and CRYPTO frame collection.

use aes::cipher::{BlockEncrypt, KeyInit};
use aes::Aes128;
use aes_gcm::aead::{AeadInPlace, Tag};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

pub const V1: u32 = 0x0000_0001;
pub const V2: u32 = 0x6b33_43cf;
const SALT_V1: [u8; 20] = [
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad,
    0xcc, 0xbb, 0x7f, 0x0a,
];
const SALT_V2: [u8; 20] = [
    0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb,
    0xf9, 0xbd, 0x2e, 0xd9,
];
/// CRYPTO stream bytes collected per connection.
pub const MAX_CRYPTO: usize = 64 * 1024;

/// Client Initial packet protection keys.
#[derive(Clone)]
pub struct Keys {
    pub key: [u8; 16],
    pub iv: [u8; 12],
    pub hp: [u8; 16],
}

fn expand_label(prk: &Hkdf<Sha256>, label: &str, out: &mut [u8]) {
    let full = format!("tls13 {label}");
    let mut info = Vec::with_capacity(4 + full.len());
    info.extend_from_slice(&(out.len() as u16).to_be_bytes());
    info.push(full.len() as u8);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    // Output lengths here are at most 32 bytes, far under HKDF's 255*32 limit.
    let _ = prk.expand(&info, out);
}

/// Derives the client Initial keys for `version` from the original DCID.
pub fn client_keys(version: u32, dcid: &[u8]) -> Option<Keys> {
    let (salt, kl, il, hl) = match version {
        V1 => (&SALT_V1, "quic key", "quic iv", "quic hp"),
        V2 => (&SALT_V2, "quicv2 key", "quicv2 iv", "quicv2 hp"),
        _ => return None,
    };
    let (_, initial) = Hkdf::<Sha256>::extract(Some(salt), dcid);
    let mut client = [0u8; 32];
    expand_label(&initial, "client in", &mut client);
    let prk = Hkdf::<Sha256>::from_prk(&client).ok()?;
    let mut k = Keys {
        key: [0; 16],
        iv: [0; 12],
        hp: [0; 16],
    };
    expand_label(&prk, kl, &mut k.key);
    expand_label(&prk, il, &mut k.iv);
    expand_label(&prk, hl, &mut k.hp);
    Some(k)
}

/// The parts of a long-header packet needed before decryption.
#[derive(Debug)]
pub struct LongHeader<'a> {
    pub version: u32,
    pub dcid: &'a [u8],
    pub scid: &'a [u8],
    pub is_initial: bool,
    pub is_retry: bool,
    /// Offset of the packet number within the datagram slice.
    pub pn_offset: usize,
    /// End of this packet (start of a coalesced one).
    pub end: usize,
}

fn varint(b: &[u8], p: &mut usize) -> Option<u64> {
    let first = *b.get(*p)?;
    let n = 1usize << (first >> 6);
    let s = b.get(*p..*p + n)?;
    let mut v = (first & 0x3f) as u64;
    for &x in &s[1..] {
        v = (v << 8) | x as u64;
    }
    *p += n;
    Some(v)
}

/// Parses a long header at the start of `b` (v1 or v2 only).
pub fn long_header(b: &[u8]) -> Option<LongHeader<'_>> {
    let first = *b.first()?;
    if first & 0xc0 != 0xc0 {
        return None; // short header or fixed bit clear
    }
    let version = u32::from_be_bytes(b.get(1..5)?.try_into().ok()?);
    let ty = (first >> 4) & 3;
    let (initial, retry) = match version {
        V1 => (ty == 0, ty == 3),
        V2 => (ty == 1, ty == 0),
        _ => return None,
    };
    let mut p = 5;
    let dl = *b.get(p)? as usize;
    if dl > 20 {
        return None;
    }
    let dcid = b.get(p + 1..p + 1 + dl)?;
    p += 1 + dl;
    let sl = *b.get(p)? as usize;
    if sl > 20 {
        return None;
    }
    let scid = b.get(p + 1..p + 1 + sl)?;
    p += 1 + sl;
    if retry {
        return Some(LongHeader {
            version,
            dcid,
            scid,
            is_initial: false,
            is_retry: true,
            pn_offset: p,
            end: b.len(),
        });
    }
    if initial {
        let tl = varint(b, &mut p)? as usize;
        if tl > b.len() {
            return None;
        }
        p += tl;
    }
    let len = varint(b, &mut p)? as usize;
    let end = p.checked_add(len)?;
    if end > b.len() {
        return None;
    }
    Some(LongHeader {
        version,
        dcid,
        scid,
        is_initial: initial,
        is_retry: false,
        pn_offset: p,
        end,
    })
}

/// Removes header protection and decrypts one Initial packet in `pkt`
/// (the bytes from the first byte to `hdr.end`). Returns the plaintext payload.
pub fn decrypt(pkt: &[u8], pn_offset: usize, keys: &Keys) -> Option<Vec<u8>> {
    let sample = pkt.get(pn_offset + 4..pn_offset + 20)?;
    let hp = Aes128::new_from_slice(&keys.hp).ok()?;
    let mut mask = aes::Block::clone_from_slice(sample);
    hp.encrypt_block(&mut mask);
    let first = pkt[0] ^ (mask[0] & 0x0f);
    let pn_len = (first & 3) as usize + 1;
    let mut header = pkt.get(..pn_offset + pn_len)?.to_vec();
    header[0] = first;
    let mut pn: u64 = 0;
    for i in 0..pn_len {
        header[pn_offset + i] ^= mask[1 + i];
        pn = (pn << 8) | header[pn_offset + i] as u64;
    }
    let body = pkt.get(pn_offset + pn_len..)?;
    if body.len() < 16 {
        return None;
    }
    let (ct, tag) = body.split_at(body.len() - 16);
    let mut nonce = keys.iv;
    for (i, b) in pn.to_be_bytes().iter().enumerate() {
        nonce[4 + i] ^= b;
    }
    let aead = Aes128Gcm::new_from_slice(&keys.key).ok()?;
    let mut buf = ct.to_vec();
    aead.decrypt_in_place_detached(
        Nonce::from_slice(&nonce),
        &header,
        &mut buf,
        Tag::<Aes128Gcm>::from_slice(tag),
    )
    .ok()?;
    Some(buf)
}

/// CRYPTO frames of a decrypted Initial payload: (offset, data). Stops at the
/// first frame type that may not appear in an Initial.
pub fn crypto_frames(p: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let Some(ty) = varint(p, &mut i) else { break };
        match ty {
            0x00 | 0x01 => {}
            0x02 | 0x03 => {
                // ACK: largest, delay, range count, first range, ranges, [ECN]
                let mut ok = || -> Option<()> {
                    varint(p, &mut i)?;
                    varint(p, &mut i)?;
                    let n = varint(p, &mut i)?;
                    varint(p, &mut i)?;
                    for _ in 0..n.min(1024) {
                        varint(p, &mut i)?;
                        varint(p, &mut i)?;
                    }
                    if ty == 3 {
                        for _ in 0..3 {
                            varint(p, &mut i)?;
                        }
                    }
                    Some(())
                };
                if ok().is_none() {
                    break;
                }
            }
            0x06 => {
                let (Some(off), Some(len)) = (varint(p, &mut i), varint(p, &mut i)) else {
                    break;
                };
                let Some(d) = p.get(i..i.saturating_add(len as usize)) else {
                    break;
                };
                out.push((off, d));
                i += len as usize;
            }
            0x1c => {
                let ok = varint(p, &mut i)
                    .and(varint(p, &mut i))
                    .and_then(|_| varint(p, &mut i));
                let Some(rl) = ok else { break };
                i = i.saturating_add(rl as usize);
            }
            _ => break,
        }
    }
    out
}

/// Reassembles the CRYPTO stream from offset 0 as frames arrive in any order.
#[derive(Debug, Default)]
pub struct CryptoStream {
    data: Vec<u8>,
    pending: Vec<(u64, Vec<u8>)>,
    pub done: bool,
}

impl CryptoStream {
    pub fn buffered(&self) -> usize {
        self.data.capacity() + self.pending.iter().map(|(_, v)| v.len()).sum::<usize>()
    }

    /// Adds a frame; returns the contiguous bytes from offset 0.
    pub fn add(&mut self, off: u64, d: &[u8]) -> &[u8] {
        let end = off.saturating_add(d.len() as u64);
        if end > MAX_CRYPTO as u64 {
            self.done = true;
            return &self.data;
        }
        if off as usize <= self.data.len() {
            let skip = self.data.len() - off as usize;
            if skip < d.len() {
                self.data.extend_from_slice(&d[skip..]);
            }
            // Pending frames may now connect.
            loop {
                let have = self.data.len() as u64;
                let Some(i) = self.pending.iter().position(|(o, _)| *o <= have) else {
                    break;
                };
                let (o, v) = self.pending.swap_remove(i);
                let skip = (have - o) as usize;
                if skip < v.len() {
                    self.data.extend_from_slice(&v[skip..]);
                }
            }
        } else if self.pending.len() < 64 {
            self.pending.push((off, d.to_vec()));
        }
        &self.data
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 9001 Appendix A.1 and RFC 9369 Appendix A.1.
    #[test]
    fn rfc_key_vectors() {
        let dcid = hex("8394c8f03e515708");
        let k = client_keys(V1, &dcid).unwrap();
        assert_eq!(k.key.to_vec(), hex("1f369613dd76d5467730efcbe3b1a22d"));
        assert_eq!(k.iv.to_vec(), hex("fa044b2f42a3fd3b46fb255c"));
        assert_eq!(k.hp.to_vec(), hex("9f50449e04a0e810283a1e9933adedd2"));
        let k = client_keys(V2, &dcid).unwrap();
        assert_eq!(k.key.to_vec(), hex("8b1a0bc121284290a29e0971b5cd045d"));
        assert_eq!(k.iv.to_vec(), hex("91f73e2351d8fa91660e909f"));
        assert_eq!(k.hp.to_vec(), hex("45b95e15235d6f45a6b19cbcb0294ba9"));
    }

    /// Encrypts an Initial the way a client does (the inverse of `decrypt`), for tests.
    pub fn encrypt_initial(version: u32, dcid: &[u8], pn: u32, payload: &[u8]) -> Vec<u8> {
        let keys = client_keys(version, dcid).unwrap();
        let ty: u8 = if version == V2 { 1 } else { 0 };
        let mut h = vec![0xc0 | (ty << 4) | 0x03];
        h.extend_from_slice(&version.to_be_bytes());
        h.push(dcid.len() as u8);
        h.extend_from_slice(dcid);
        h.push(0); // empty SCID
        h.push(0); // no token
        let len = 4 + payload.len() + 16;
        h.extend_from_slice(&(0x4000u16 | len as u16).to_be_bytes());
        let pn_off = h.len();
        h.extend_from_slice(&pn.to_be_bytes());
        let mut nonce = keys.iv;
        for (i, b) in (pn as u64).to_be_bytes().iter().enumerate() {
            nonce[4 + i] ^= b;
        }
        let aead = Aes128Gcm::new_from_slice(&keys.key).unwrap();
        let mut ct = payload.to_vec();
        let tag = aead
            .encrypt_in_place_detached(Nonce::from_slice(&nonce), &h, &mut ct)
            .unwrap();
        let mut pkt = h.clone();
        pkt.extend_from_slice(&ct);
        pkt.extend_from_slice(&tag);
        let hp = Aes128::new_from_slice(&keys.hp).unwrap();
        let mut mask = aes::Block::clone_from_slice(&pkt[pn_off + 4..pn_off + 20]);
        hp.encrypt_block(&mut mask);
        pkt[0] ^= mask[0] & 0x0f;
        for i in 0..4 {
            pkt[pn_off + i] ^= mask[1 + i];
        }
        pkt
    }

    /// The unprotected payload of RFC 9001 Appendix A.2's client Initial (a
    /// CRYPTO frame holding a ClientHello for example.com).
    const RFC9001_A2_PAYLOAD: &str = "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868
                                      04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578
                                      616d706c652e636f6dff01000100000a00080006001d00170018001000070005
                                      04616c706e000500050100000000003300260024001d00209370b2c9caa47fba
                                      baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400
                                      0d0010000e0403050306030203080408050806002d00020101001c0002400100
                                      3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000
                                      75300901100f088394c8f03e51570806048000ffff";

    /// RFC 9001 Appendix A.2: the protected client Initial decrypts to its CRYPTO frame.
    #[test]
    fn rfc9001_client_initial_decrypts() {
        let dcid = hex("8394c8f03e515708");
        let payload = hex(RFC9001_A2_PAYLOAD);
        assert_eq!(payload.len(), 245);
        let mut full = payload.clone();
        full.resize(1162, 0);
        let pkt = encrypt_initial(V1, &dcid, 2, &full);
        let h = long_header(&pkt).unwrap();
        assert!(h.is_initial);
        let k = client_keys(V1, h.dcid).unwrap();
        let plain = decrypt(&pkt[..h.end], h.pn_offset, &k).unwrap();
        let frames = crypto_frames(&plain);
        assert_eq!(frames.len(), 1);
        let hello = crate::capture::tls::parse_client_hello(&frames[0].1[4..]).unwrap();
        assert_eq!(hello.sni.as_deref(), Some("example.com"));
        // Tampering breaks the AEAD tag: no plaintext.
        let mut bad = pkt.clone();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert!(decrypt(&bad[..h.end], h.pn_offset, &k).is_none());
    }

    /// The RFC 9001 A.2 protected packet's first bytes, to check header
    /// protection against the published ciphertext.
    #[test]
    fn rfc9001_header_protection_vector() {
        let dcid = hex("8394c8f03e515708");
        let mut payload = hex(RFC9001_A2_PAYLOAD);
        payload.resize(1162, 0);
        let pkt = encrypt_initial(V1, &dcid, 2, &payload);
        assert_eq!(
            pkt[..64].to_vec(),
            hex(
                "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11
                 d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
            )
        );
    }
}
