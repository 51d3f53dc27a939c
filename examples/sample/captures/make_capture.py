# Writes a small pcap of an agent session: DNS lookups, TLS ClientHellos, one IP-literal connection.
import struct, sys
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b)); s=(s>>16)+(s&0xffff); s+=s>>16
    return (~s)&0xffff
def ip4(a): return bytes(int(x) for x in a.split('.'))
def ipv4(src,dst,proto,payload):
    h=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(payload),1,0,64,proto,0,ip4(src),ip4(dst))
    h=h[:10]+struct.pack('!H',csum(h))+h[12:]
    return h+payload
def eth(p): return b'\x02\0\0\0\0\x02'+b'\x02\0\0\0\0\x01'+b'\x08\x00'+p
def udp(sp,dp,data): return struct.pack('!HHHH',sp,dp,8+len(data),0)+data
def tcp(sp,dp,seq,flags,data=b''): return struct.pack('!HHIIBBHHH',sp,dp,seq,0,0x50,flags,65535,0,0)+data
def qname(n): return b''.join(bytes([len(l)])+l.encode() for l in n.split('.'))+b'\0'
def dns_query(i,n): return struct.pack('!HHHHHH',i,0x0100,1,0,0,0)+qname(n)+struct.pack('!HH',1,1)
def dns_answer(i,n,addr): return struct.pack('!HHHHHH',i,0x8180,1,1,0,0)+qname(n)+struct.pack('!HH',1,1)+b'\xc0\x0c'+struct.pack('!HHIH',1,1,60,4)+ip4(addr)
def client_hello(sni):
    s=sni.encode(); ext=struct.pack('!HHHBH',0,len(s)+5,len(s)+3,0,len(s))+s
    body=b'\x03\x03'+bytes(32)+b'\x00'+struct.pack('!H',2)+b'\x13\x01'+b'\x01\x00'+struct.pack('!H',len(ext))+ext
    hs=b'\x01'+struct.pack('!I',len(body))[1:]+body
    return b'\x16\x03\x01'+struct.pack('!H',len(hs))+hs
me,resolver='10.0.0.5','10.0.0.2'
pkts=[]
def dns(i,name,addr):
    pkts.append(eth(ipv4(me,resolver,17,udp(40000+i,53,dns_query(i,name)))))
    pkts.append(eth(ipv4(resolver,me,17,udp(53,40000+i,dns_answer(i,name,addr)))))
def tls(i,addr,name):
    pkts.append(eth(ipv4(me,addr,6,tcp(50000+i,443,1000,0x02))))
    pkts.append(eth(ipv4(me,addr,6,tcp(50000+i,443,1001,0x18,client_hello(name)))))
dns(1,'api.anthropic.com','160.79.104.10'); tls(1,'160.79.104.10','api.anthropic.com')
dns(2,'pastebin.com','104.20.1.1'); tls(2,'104.20.1.1','pastebin.com')
pkts.append(eth(ipv4(me,'203.0.113.7',6,tcp(50100,8443,5000,0x02))))
pkts.append(eth(ipv4(me,'203.0.113.7',6,tcp(50100,8443,5001,0x18,b'\x00\x01binary'))))
out=struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1)
for n,p in enumerate(pkts):
    out+=struct.pack('<IIII',1764000000+n,0,len(p),len(p))+p
open(sys.argv[1],'wb').write(out)
