// kube-apiserver's Service create hook (semantics.md §3): IP-family defaulting, ClusterIP and
// NodePort / healthCheckNodePort allocation, in input order. An allocator refusal is reported
// alone with the API server's text at the field's line, and the Service is not created.
// The simulated cloud then gives LoadBalancer Services an ingress IP from its pool.
import type { Diagnostic } from '../diagnostics.ts';
import type { IPFamily, Service, ServicePort } from '../k8s/types.ts';
import type { Rng } from '../util/rng.ts';
import { canonicalIP, cidrSize, familyOf, ipToString, parseCIDR, type ParsedCIDR } from './ip.ts';
import { NodePortAllocator, parsePortRange, ServiceIPAllocator } from './ipam.ts';
import { diag, type PositionOf } from './place.ts';
import { nsOf } from './pods.ts';

export interface ServiceInput {
  object: Service;
  positionOf?: PositionOf;
}

export interface AllocationSettings {
  serviceCIDRs: ParsedCIDR[];
  nodePortRange: { base: number; size: number };
  /** Kubernetes minor version: value rendering in messages changed in 1.34 */
  minor: number;
  loadBalancerPool: ParsedCIDR | null;
  /** rng streams: one per allocator, so adding a NodePort never moves a ClusterIP */
  ipRng: Rng;
  portRng: Rng;
}

function isHeadless(s: Service): boolean {
  return s.spec.clusterIP === 'None' || s.spec.clusterIPs?.[0] === 'None';
}

export function needsHealthCheck(s: Service): boolean {
  return s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
}

/** Go-syntax or JSON rendering of a []string value (kubernetes#132314 switched to JSON in 1.34) */
export function renderStringList(values: string[], minor: number): string {
  const q = values.map((v) => JSON.stringify(v)).join(minor >= 34 ? ',' : ', ');
  return minor >= 34 ? `[${q}]` : `[]string{${q}}`;
}

export class ServiceAllocator {
  readonly ipAllocators: ServiceIPAllocator[];
  readonly nodePorts: NodePortAllocator;
  private lbNext = 1n;
  private readonly lbUsed = new Set<string>();

  constructor(private readonly s: AllocationSettings) {
    this.ipAllocators = s.serviceCIDRs.map((c) => new ServiceIPAllocator(c));
    this.nodePorts = new NodePortAllocator(s.nodePortRange);
  }

  private allocatorFor(f: IPFamily): ServiceIPAllocator | undefined {
    return this.ipAllocators.find((a) => a.family === f);
  }

  get primaryFamily(): IPFamily {
    return this.ipAllocators[0]?.family ?? 'IPv4';
  }

  /** mark an IP taken without a Service (the `kubernetes` Service's when it is not simulated) */
  reserve(ip: string): void {
    const f = familyOf(ip);
    if (f) this.allocatorFor(f)?.allocate(ip);
  }

  /** The create hook. Returns error diagnostics (then nothing stays allocated) or []. */
  create(svc: Service, positionOf: PositionOf): Diagnostic[] {
    const spec = svc.spec;
    const name = svc.metadata.name ?? '';
    const minor = this.s.minor;
    const type = (spec.type ??= 'ClusterIP');
    spec.sessionAffinity ??= 'None';
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
    if (type === 'ExternalName') return [];
    const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer';
    spec.internalTrafficPolicy ??= 'Cluster';
    if (externallyAccessible) spec.externalTrafficPolicy ??= 'Cluster';
    if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;

    // kubectl's wording, as the manifest stage prints its own refusals
    const invalid = (path: string, message: string, internal = false): Diagnostic[] => [
      diag(
        internal ? 'internal-error' : 'invalid-value',
        'error',
        internal ? `Internal error occurred: ${message}` : `The Service "${name}" is invalid: ${path}: ${message}`,
        positionOf,
        path,
        { field: path },
        'cluster.allocation',
      ),
    ];

    // IP families (initIPFamilyFields, the parts an allocator needs)
    // PrepareForCreate syncs the two fields; the clusterIPs-related checks then run in the hook.
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
    if (spec.clusterIP && spec.clusterIPs && spec.clusterIPs[0] !== spec.clusterIP) {
      return invalid('spec.clusterIPs', `Invalid value: ${renderStringList(spec.clusterIPs, minor)}: first value must match \`clusterIP\``);
    }
    if (spec.clusterIPs?.[0] === 'None' && spec.clusterIPs.length > 1) {
      return invalid('spec.clusterIPs', `Invalid value: ${renderStringList(spec.clusterIPs, minor)}: 'None' must be the first and only value`);
    }
    const headless = isHeadless(svc);
    const requested = (spec.clusterIPs ?? []).filter((ip) => ip !== '' && ip !== 'None');
    const dualCluster = this.ipAllocators.length > 1;
    let families: IPFamily[];
    if (requested.length > 0) {
      families = [];
      for (let i = 0; i < requested.length; i++) {
        const f = familyOf(requested[i]);
        if (!f) return invalid(`spec.clusterIPs[${i}]`, `Invalid value: ${JSON.stringify(requested[i])}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`);
        families.push(f);
      }
    } else if (spec.ipFamilies && spec.ipFamilies.length > 0) families = [...spec.ipFamilies];
    else families = [this.primaryFamily];
    const policy = (spec.ipFamilyPolicy ??= headless && !spec.selector ? 'RequireDualStack' : 'SingleStack');
    if (policy === 'RequireDualStack' && !dualCluster && !headless) {
      return invalid('spec.ipFamilyPolicy', 'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
    }
    if (policy !== 'SingleStack' && dualCluster && families.length === 1) {
      const other = this.ipAllocators.find((a) => a.family !== families[0]);
      if (other) families.push(other.family);
    }
    if (headless && !dualCluster) families = families.slice(0, 1);
    for (let i = 0; i < families.length; i++) {
      if (!this.allocatorFor(families[i]) && !headless) {
        return invalid(`spec.ipFamilies[${i}]`, `Invalid value: ${JSON.stringify(families[i])}: not configured on this cluster`);
      }
    }
    spec.ipFamilies = families;

    const undo: (() => void)[] = [];
    const rollback = (d: Diagnostic[]) => {
      for (const u of undo.reverse()) u();
      return d;
    };

    if (headless) {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else {
      const ips: string[] = [];
      for (let i = 0; i < families.length; i++) {
        const alloc = this.allocatorFor(families[i]) as ServiceIPAllocator;
        const want = requested[i];
        if (want) {
          const r = alloc.allocate(want);
          if (!r.ok) {
            return rollback(
              invalid('spec.clusterIPs', `Invalid value: ${renderStringList(spec.clusterIPs ?? [], minor)}: failed to allocate IP ${want}: ${r.error}`),
            );
          }
          undo.push(() => alloc.release(r.value));
          ips.push(r.value);
        } else {
          const r = alloc.allocateNext(this.s.ipRng);
          if (!r.ok) return rollback(invalid('spec.clusterIPs', `failed to allocate a serviceIP: ${r.error}`, true));
          undo.push(() => alloc.release(r.value));
          ips.push(r.value);
        }
      }
      spec.clusterIPs = ips;
      spec.clusterIP = ips[0];
    }

    // NodePorts (initNodePorts): ports sharing a port number share one nodePort.
    if (externallyAccessible) {
      const ports = spec.ports ?? [];
      const shouldAllocate = type === 'NodePort' || spec.allocateLoadBalancerNodePorts !== false;
      const byPort = new Map<number, number>();
      for (let i = 0; i < ports.length; i++) {
        const sp: ServicePort = ports[i];
        if (!sp.nodePort && !shouldAllocate) continue;
        const have = byPort.get(sp.port);
        const path = `spec.ports[${i}].nodePort`;
        if (have === undefined) {
          const np = sp.nodePort || ports.slice(i).find((o) => o.port === sp.port && o.nodePort)?.nodePort || 0;
          if (np) {
            const r = this.nodePorts.allocate(np);
            if (!r.ok) return rollback(invalid(path, `Invalid value: ${np}: ${r.error}`));
            undo.push(() => this.nodePorts.release(np));
            sp.nodePort = np;
            byPort.set(sp.port, np);
          } else {
            const r = this.nodePorts.allocateNext(this.s.portRng);
            if (!r.ok) return rollback(invalid(path, `failed to allocate a nodePort: ${r.error}`, true));
            undo.push(() => this.nodePorts.release(r.value));
            sp.nodePort = r.value;
            byPort.set(sp.port, r.value);
          }
        } else if (sp.nodePort !== have) {
          if (!sp.nodePort) sp.nodePort = have;
          else {
            const np = sp.nodePort;
            const r = this.nodePorts.allocate(np);
            if (!r.ok) return rollback(invalid(path, `Invalid value: ${np}: ${r.error}`));
            undo.push(() => this.nodePorts.release(np));
          }
        }
      }
    }
    if (needsHealthCheck(svc)) {
      const want = spec.healthCheckNodePort;
      if (want) {
        const r = this.nodePorts.allocate(want);
        if (!r.ok) return rollback(invalid('spec.healthCheckNodePort', `failed to allocate requested HealthCheck NodePort ${want}: ${r.error}`, true));
      } else {
        const r = this.nodePorts.allocateNext(this.s.portRng);
        if (!r.ok) return rollback(invalid('spec.healthCheckNodePort', `failed to allocate a HealthCheck NodePort 0: ${r.error}`, true));
        spec.healthCheckNodePort = r.value;
      }
    }
    return [];
  }

  /** the simulated cloud-controller-manager: first free address of the pool, in Service order */
  assignIngress(svc: Service): void {
    const pool = this.s.loadBalancerPool;
    if (svc.spec.type !== 'LoadBalancer' || !pool || svc.spec.loadBalancerClass) return;
    if (svc.status?.loadBalancer?.ingress?.length) {
      for (const i of svc.status.loadBalancer.ingress) if (i.ip) this.lbUsed.add(i.ip);
      return;
    }
    let ip = svc.spec.loadBalancerIP ? canonicalIP(svc.spec.loadBalancerIP) : null;
    if (!ip) {
      const size = cidrSize(pool);
      const last = pool.family === 'IPv4' ? size - 1n : size;
      while (this.lbNext < last && this.lbUsed.has(ipToString(pool.base + this.lbNext, pool.family))) this.lbNext++;
      if (this.lbNext >= last) return;
      ip = ipToString(pool.base + this.lbNext++, pool.family);
    }
    this.lbUsed.add(ip);
    // ipMode is defaulted to VIP from 1.30 (LoadBalancerIPMode); older API servers have no such field
    svc.status = { ...(svc.status ?? {}), loadBalancer: { ingress: [this.s.minor >= 30 ? { ip, ipMode: 'VIP' } : { ip }] } };
  }
}

export function parseServiceCIDRs(text: string): ParsedCIDR[] {
  return text
    .split(',')
    .map((t) => parseCIDR(t.trim()))
    .filter((c): c is ParsedCIDR => c !== null);
}

export function parseNodePortRange(text: string) {
  return parsePortRange(text);
}

export { nsOf };
