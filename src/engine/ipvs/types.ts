// IPVS dataplane state of one node as svcpath models it: the shape of `generate --output json`'s
// `ipvs` member (CONTRACTS.md) plus what the renderers and the packet path need.

export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface RealServer {
  address: string;
  port: number;
  weight: number;
  /** simulated connection counters (ipvsadm's ActiveConn / InActConn); 0 when generated */
  activeConns?: number;
  inactConns?: number;
  /** forwarding method; kube-proxy always uses Masq (NAT) */
  forward?: 'Masq' | 'Local' | 'Tunnel' | 'Route';
}

export interface VirtualServer {
  address: string;
  port: number;
  protocol: IpvsProtocol;
  scheduler: string;
  /** the kernel's IP_VS_SVC_F_* bits as kube-proxy sets them (0x1 persistent, 0x10 mh-port/sh-port) */
  flags: number;
  /** persistence timeout in seconds (0 = not persistent) */
  timeout: number;
  /** real servers sorted by their `ip:port` string (kube-proxy's order); see kernelOrder for the kernel list */
  realServers: RealServer[];
  /** netmask for persistence; kube-proxy uses a host mask (32 / 128) */
  netmaskBits?: number;
}

export type IpsetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export interface IpSet {
  name: string;
  type: IpsetType;
  entries: string[];
  /** the comment kube-proxy also uses as the iptables --comment */
  comment?: string;
  family?: 'inet' | 'inet6';
}

export interface DummyInterface {
  name: 'kube-ipvs0';
  /** `IP/32` or `IP/128`, in the order kube-proxy binds them */
  addresses: string[];
}

export interface IpvsDataplane {
  virtualServers: VirtualServer[];
  ipsets: IpSet[];
  dummyInterface: DummyInterface;
  /** exactly what kube-proxy passes to iptables-restore in IPVS mode (nat then filter) */
  iptablesRestore: string;
  /** the node addresses NodePort virtual servers were created on */
  nodePortAddresses?: string[];
  /** 4 or 6 */
  family?: 4 | 6;
  /** sysctls kube-proxy sets at start in IPVS mode, as `path=value` */
  sysctls?: string[];
}

/** IP_VS_SVC_F_* (include/uapi/linux/ip_vs.h) */
export const IP_VS_SVC_F_PERSISTENT = 0x0001;
export const IP_VS_SVC_F_HASHED = 0x0002;
export const IP_VS_SVC_F_ONEPACKET = 0x0004;
export const IP_VS_SVC_F_SCHED1 = 0x0008;
export const IP_VS_SVC_F_SCHED2 = 0x0010;
export const IP_VS_SVC_F_SCHED3 = 0x0020;

/** `PROTO ip:port` (IPv6 in brackets): how vectors and diagnostics name a virtual server */
export function virtualServerKey(vs: { protocol: string; address: string; port: number }): string {
  const a = vs.address.includes(':') ? `[${vs.address}]` : vs.address;
  return `${vs.protocol} ${a}:${vs.port}`;
}
