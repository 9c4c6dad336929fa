// Service validation in the API server's order: the registry's create hook (clusterIPs / ipFamilies
// consistency, then the allocators' range checks -- any error there is returned alone), then
// ValidateService (pkg/apis/core/validation), which reports every error at once.
import { pushAll } from './arrays.ts';
import {
  duplicate,
  forbidden,
  invalid,
  notSupported,
  num,
  required,
  str,
  strList,
  tooMany,
  type BadValue,
  type FieldError,
} from './field-error.ts';
import { cidrContains, ipFamilyOf, isCIDR, isIP, isIPv6String, nonSpecialIPMessages, VALID_CIDR_MSG, VALID_IP_MSG, type IPFamily } from './ip.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from './names.ts';
import { asList, asNum, asObj, asStr, isObj, validateLabels, validateObjectMeta, type Obj } from './validate-meta.ts';
import { externallyAccessible } from './defaults.ts';

export interface ServiceContext {
  jsonValues: boolean;
  /** Kubernetes minor version (35 for 1.35) */
  minor: number;
  /** does this path exist in the user's text (before defaulting)? */
  has: (path: string) => boolean;
  /** --service-cluster-ip-range CIDRs, primary first; empty when unknown */
  serviceCIDRs: string[];
  /** --service-node-port-range, or null when unknown */
  nodePortRange: { base: number; size: number } | null;
}

export interface ServiceFindings {
  errors: FieldError[];
  /** API server warnings (`Warning: ...` in kubectl) */
  warnings: { field: string; message: string }[];
}

const strs = (v: unknown): string[] => asList(v).map(asStr);
const isHeadless = (spec: Obj): boolean => {
  const ips = strs(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
};

/** Where to point for a clusterIPs error when the user only wrote clusterIP. */
function clusterIPsAt(ctx: ServiceContext, sub = ''): string {
  if (ctx.has('spec.clusterIPs')) return `spec.clusterIPs${sub}`;
  if (ctx.has('spec.clusterIP')) return 'spec.clusterIP';
  return 'spec';
}

/** ValidateServiceClusterIPsRelatedFields (skipped for ExternalName). */
export function validateClusterIPsRelated(spec: Obj, ctx: ServiceContext): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIP = asStr(spec.clusterIP);
  const ips = strs(spec.clusterIPs);
  const families = strs(spec.ipFamilies);
  const at = (e: FieldError, sub = ''): FieldError => ({ ...e, at: clusterIPsAt(ctx, sub) });
  let hasInvalidIPs = false;
  if (clusterIP) {
    if (ips.length === 0) errs.push(at(required('spec.clusterIPs')));
    else if (ips[0] !== clusterIP) errs.push(at(invalid('spec.clusterIPs', strList(ips), 'first value must match `clusterIP`')));
  } else if (ips.length !== 0) {
    errs.push(at(invalid('spec.clusterIPs', strList(ips), 'must be empty when `clusterIP` is not specified')));
  }
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, str(f), ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, str(f)));
    seen.add(f);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && policy !== null && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(asStr(policy)))
    errs.push(notSupported('spec.ipFamilyPolicy', str(asStr(policy)), ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalidIPs = true;
        errs.push(at(invalid('spec.clusterIPs', strList(ips), "'None' must be the first and only value")));
      }
      return;
    }
    if (!isIP(ip)) {
      hasInvalidIPs = true;
      errs.push(at(invalid(`spec.clusterIPs[${i}]`, str(ip), VALID_IP_MSG), `[${i}]`));
    }
  });
  if (ips.length > 2) errs.push(at(invalid('spec.clusterIPs', strList(ips), 'may only hold up to 2 values')));
  if (hasInvalidIPs) return errs;
  if (ips.length > 1) {
    const fams = ips.map(ipFamilyOf);
    const dual = fams.length === 2 && fams[0] !== fams[1];
    if (!dual) errs.push(at(invalid('spec.clusterIPs', strList(ips), 'may specify no more than one IP for each IP family')));
  }
  if (!isHeadless(spec) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6String(ip))
        errs.push(at(invalid(`spec.clusterIPs[${i}]`, str(ip), `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``), `[${i}]`));
      if (families[i] === 'IPv6' && !isIPv6String(ip))
        errs.push(at(invalid(`spec.clusterIPs[${i}]`, str(ip), `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``), `[${i}]`));
    });
  }
  return errs;
}

/** The create hook: IP-family checks against the cluster's configuration, then the allocators' range checks. */
export function validateServiceAllocation(svc: Obj, ctx: ServiceContext): FieldError[] {
  const spec = asObj(svc.spec);
  if (spec.type === 'ExternalName') return [];
  const related = validateClusterIPsRelated(spec, ctx);
  if (related.length) return related;
  const errs: FieldError[] = [];
  const ips = strs(spec.clusterIPs);
  const families = strs(spec.ipFamilies);
  const policy = asStr(spec.ipFamilyPolicy);
  const clusterFamilies = ctx.serviceCIDRs.map((c) => ipFamilyOf(c.split('/')[0]!)).filter((f): f is IPFamily => f !== null);
  const headlessSelectorless = isHeadless(spec) && (spec.selector === undefined || spec.selector === null);
  if (policy === 'SingleStack') {
    if (ips.length > 1)
      errs.push(invalid('spec.ipFamilyPolicy', str(policy), "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    else if (families.length > 1)
      errs.push(invalid('spec.ipFamilyPolicy', str(policy), "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  if (clusterFamilies.length && !headlessSelectorless) {
    if (policy === 'RequireDualStack' && clusterFamilies.length < 2)
      errs.push(invalid('spec.ipFamilyPolicy', str(policy), 'this cluster is not configured for dual-stack services'));
    families.forEach((f, i) => {
      if ((f === 'IPv4' || f === 'IPv6') && !clusterFamilies.includes(f)) errs.push(invalid(`spec.ipFamilies[${i}]`, str(f), 'not configured on this cluster'));
    });
  }
  if (errs.length) return errs;
  // ClusterIP allocator (the classic bitmap wording: it names the range)
  if (!isHeadless(spec) && ctx.serviceCIDRs.length) {
    for (const ip of ips) {
      const fam = ipFamilyOf(ip);
      const cidr = ctx.serviceCIDRs.find((c) => ipFamilyOf(c.split('/')[0]!) === fam);
      if (cidr && !cidrContains(cidr, ip)) {
        errs.push({
          ...invalid(
            'spec.clusterIPs',
            strList(ips),
            `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr}`,
          ),
          at: clusterIPsAt(ctx),
        });
        return errs;
      }
    }
  }
  // NodePort allocator
  const range = ctx.nodePortRange;
  if (range && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    const rangeText = `${range.base}-${range.base + range.size - 1}`;
    const outside = (p: number): boolean => p < range.base || p >= range.base + range.size;
    asList(spec.ports).forEach((pv, i) => {
      const np = asNum(asObj(pv).nodePort);
      if (np !== 0 && outside(np))
        errs.push(invalid(`spec.ports[${i}].nodePort`, num(np), `provided port is not in the valid range. The range of valid ports is ${rangeText}`));
    });
    const hc = asNum(spec.healthCheckNodePort);
    if (hc !== 0 && spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && outside(hc))
      errs.push(invalid('spec.healthCheckNodePort', num(hc), `provided port is not in the valid range. The range of valid ports is ${rangeText}`));
  }
  return errs;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateServicePort(p: Obj, i: number, requireName: boolean, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const path = `spec.ports[${i}]`;
  const name = asStr(p.name);
  if (requireName && !name) errs.push(required(`${path}.name`));
  else if (name) {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, str(name), msg));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, str(name)));
    else names.add(name);
  }
  const port = asNum(p.port);
  for (const msg of isValidPortNum(port)) errs.push(invalid(`${path}.port`, num(port), msg));
  const proto = asStr(p.protocol);
  if (!proto) errs.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${path}.protocol`, str(proto), PROTOCOLS));
  const tp = p.targetPort;
  if (typeof tp === 'string') for (const msg of isValidPortName(tp)) errs.push(invalid(`${path}.targetPort`, str(tp), msg));
  else for (const msg of isValidPortNum(asNum(tp))) errs.push(invalid(`${path}.targetPort`, num(asNum(tp)), msg));
  if (typeof p.appProtocol === 'string')
    for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, str(p.appProtocol), msg));
  return errs;
}

/** The internal ServicePort used as the duplicate key: only Protocol and Port are set. */
function portKey(protocol: string, port: number): BadValue {
  return {
    kind: 'composite',
    json: `{"Name":"","Protocol":${JSON.stringify(protocol)},"AppProtocol":null,"Port":${port},"TargetPort":0,"NodePort":0}`,
    go: `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  };
}

const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';

export function validateService(svc: Obj, ctx: ServiceContext): ServiceFindings {
  const spec = asObj(svc.spec);
  const meta = asObj(svc.metadata);
  const errs: FieldError[] = validateObjectMeta(svc.metadata, true, 'dns1035');
  const warnings: ServiceFindings['warnings'] = [];
  const annotations = asObj(meta.annotations);
  const hintsSet = typeof annotations[TOPOLOGY_HINTS] === 'string';
  const modeSet = typeof annotations[TOPOLOGY_MODE] === 'string';
  if (hintsSet && modeSet && annotations[TOPOLOGY_HINTS] !== annotations[TOPOLOGY_MODE])
    errs.push(
      invalid(`metadata.annotations[${TOPOLOGY_MODE}]`, str(asStr(annotations[TOPOLOGY_MODE])), `must match annotations[${TOPOLOGY_HINTS}] when both are specified`),
    );
  if (hintsSet)
    warnings.push({
      field: `metadata.annotations[${TOPOLOGY_HINTS}]`,
      message: `annotation ${TOPOLOGY_HINTS} is deprecated, please use ${TOPOLOGY_MODE} instead`,
    });

  const type = asStr(spec.type);
  const headless = isHeadless(spec);
  const ports = asList(spec.ports);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless)
    errs.push({ ...invalid('spec.clusterIPs[0]', str('None'), `may not be set to 'None' for ${type} services`), at: clusterIPsAt(ctx, '[0]') });
  if (type === 'ExternalName') {
    if (strs(spec.clusterIPs).length > 0) errs.push({ ...forbidden('spec.clusterIPs', 'may not be set for ExternalName services'), at: clusterIPsAt(ctx) });
    if (strs(spec.ipFamilies).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = asStr(spec.externalName).replace(/\.$/, '');
    if (cname) for (const msg of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', str(cname), msg));
    else errs.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => pushAll(errs, validateServicePort(asObj(p), i, ports.length > 1, names)));
  if (isObj(spec.selector)) pushAll(errs, validateLabels(spec.selector, 'spec.selector'));

  const affinity = asStr(spec.sessionAffinity);
  if (!affinity) errs.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(notSupported('spec.sessionAffinity', str(affinity), ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const t = asObj(asObj(asObj(spec.sessionAffinityConfig).clientIP)).timeoutSeconds;
    const timeout = asNum(t);
    if (timeout <= 0 || timeout > 86400)
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', num(timeout), 'must be greater than 0 and less than 86400'));
  } else if (affinity === 'None' && isObj(spec.sessionAffinityConfig)) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  pushAll(errs, validateClusterIPsRelated(spec, ctx));

  strs(spec.externalIPs).forEach((ip, i) => {
    const p = `spec.externalIPs[${i}]`;
    if (!isIP(ip)) errs.push(invalid(p, str(ip), VALID_IP_MSG));
    else for (const msg of nonSpecialIPMessages(ip)) errs.push(invalid(p, str(ip), msg));
  });

  if (!type) errs.push(required('spec.type'));
  else if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type))
    errs.push(notSupported('spec.type', str(type), ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));

  if (type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (asNum(asObj(p).nodePort) !== 0) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((pv, i) => {
    const p = asObj(pv);
    const np = asNum(p.nodePort);
    if (np === 0) return;
    const key = `${asStr(p.protocol)}/${np}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, num(np)));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((pv, i) => {
    const p = asObj(pv);
    const key = `${asStr(p.protocol)}/${asNum(p.port)}`;
    if (portKeys.has(key)) errs.push(duplicate(`spec.ports[${i}]`, portKey(asStr(p.protocol), asNum(p.port))));
    portKeys.add(key);
  });

  if (ctx.minor >= 17 && ctx.minor <= 21) pushAll(errs, validateTopologyKeys(spec));

  const ranges = strs(spec.loadBalancerSourceRanges);
  if (ranges.length > 0) {
    // the field path's capital L is the API server's own
    if (type !== 'LoadBalancer')
      errs.push({ ...forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"), at: 'spec.loadBalancerSourceRanges' });
    ranges.forEach((r, i) => {
      const v = r.trim();
      if (!isCIDR(v)) errs.push({ ...invalid(`spec.LoadBalancerSourceRanges[${i}]`, str(v), VALID_CIDR_MSG), at: `spec.loadBalancerSourceRanges[${i}]` });
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer')
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  if (typeof spec.loadBalancerClass === 'string') {
    if (type === 'LoadBalancer')
      for (const msg of isQualifiedName(spec.loadBalancerClass)) errs.push(invalid('spec.loadBalancerClass', str(spec.loadBalancerClass), msg));
    else errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }

  const etp = asStr(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', str(etp), 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(required('spec.externalTrafficPolicy'));
  else if (etp !== 'Cluster' && etp !== 'Local') errs.push(notSupported('spec.externalTrafficPolicy', str(etp), ['Cluster', 'Local']));
  const needsHealthCheck = type === 'LoadBalancer' && etp === 'Local';
  const hc = asNum(spec.healthCheckNodePort);
  if (!needsHealthCheck) {
    if (hc !== 0)
      errs.push(invalid('spec.healthCheckNodePort', num(hc), "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc !== 0) {
    // 0 means "allocate one": the cluster layer does that, as the API server's allocator would
    for (const msg of isValidPortNum(hc)) errs.push(invalid('spec.healthCheckNodePort', num(hc), msg));
  }

  const itp = spec.internalTrafficPolicy;
  if ((itp === undefined || itp === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) errs.push(required('spec.internalTrafficPolicy'));
  if (itp !== undefined && itp !== null && itp !== 'Cluster' && itp !== 'Local')
    errs.push(notSupported('spec.internalTrafficPolicy', str(asStr(itp)), ['Cluster', 'Local']));

  if (typeof spec.trafficDistribution === 'string') {
    const td = spec.trafficDistribution;
    // PreferSameZone / PreferSameNode arrived with the PreferSameTrafficDistribution gate (on by default from 1.34)
    const supported = ctx.minor >= 34 ? ['PreferClose', 'PreferSameZone', 'PreferSameNode'] : ['PreferClose'];
    if (!supported.includes(td)) errs.push(notSupported('spec.trafficDistribution', str(td), supported));
    else if (td === 'PreferClose' && ctx.minor >= 34)
      warnings.push({ field: 'spec.trafficDistribution', message: 'spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"' });
  }

  if (headless) {
    if (asStr(spec.loadBalancerIP)) warnings.push({ field: 'spec.loadBalancerIP', message: 'spec.loadBalancerIP is ignored for headless services' });
    if (strs(spec.externalIPs).length) warnings.push({ field: 'spec.externalIPs', message: 'spec.externalIPs is ignored for headless services' });
    if (affinity && affinity !== 'None') warnings.push({ field: 'spec.sessionAffinity', message: 'spec.SessionAffinity is ignored for headless services' });
  }
  return { errors: errs, warnings };
}

/** The 1.17-1.21 rules for the alpha `spec.topologyKeys` (ServiceTopology gate on). */
function validateTopologyKeys(spec: Obj): FieldError[] {
  const keys = strs(spec.topologyKeys);
  if (keys.length === 0) return [];
  const errs: FieldError[] = [];
  if (spec.externalTrafficPolicy === 'Local') errs.push(forbidden('spec.topologyKeys', 'may not be specified when `externalTrafficPolicy=Local`'));
  if (keys.length > 16) errs.push(tooMany('spec.topologyKeys', keys.length, 16));
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    const p = `spec.topologyKeys[${i}]`;
    if (seen.has(k)) errs.push(duplicate(p, str(k)));
    seen.add(k);
    if (k === '*' && i !== keys.length - 1) errs.push(invalid(p, str(k), '"*" must be the last value specified'));
    // the API server passed the whole list as the bad value here
    if (k !== '*') for (const msg of isQualifiedName(k)) errs.push(invalid(p, strList(keys), msg));
  });
  return errs;
}
