// Validation of pasted EndpointSlices (pkg/apis/discovery/validation) and Endpoints.
import { pushAll } from './arrays.ts';
import { duplicate, invalid, notSupported, num, required, str, tooMany, type FieldError } from './field-error.ts';
import { ipFamilyOf, isIP, nonSpecialIPMessages, VALID_IP_MSG } from './ip.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from './names.ts';
import { asList, asNum, asObj, asStr, validateLabels, validateObjectMeta, type Obj } from './validate-meta.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function fqdnErrors(path: string, name: string): FieldError[] {
  if (!name) return [required(path)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length) return [invalid(path, str(n), sub.join(','))];
  if (n.split('.').length < 2) return [invalid(path, str(n), 'should be a domain with at least two segments separated by dots')];
  for (const label of n.split('.')) {
    const l = isDNS1123Label(label);
    if (l.length) return [invalid(path, str(label), l.join(','))];
  }
  return [];
}

export function validateEndpointSlice(es: Obj): FieldError[] {
  const errs: FieldError[] = validateObjectMeta(es.metadata, true, 'dns1123subdomain');
  const addressType = asStr(es.addressType);
  if (!addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported('addressType', str(addressType), ADDRESS_TYPES));

  const endpoints = asList(es.endpoints);
  if (endpoints.length > 1000) errs.push(tooMany('endpoints', endpoints.length, 1000));
  else
    endpoints.forEach((ev, i) => {
      const e = asObj(ev);
      const p = `endpoints[${i}]`;
      const addresses = asList(e.addresses).map(asStr);
      if (addresses.length === 0) errs.push(required(`${p}.addresses`, 'must contain at least 1 address'));
      else if (addresses.length > 100) errs.push(tooMany(`${p}.addresses`, addresses.length, 100));
      addresses.forEach((a, j) => {
        const ap = `${p}.addresses[${j}]`;
        if (addressType === 'IPv4' || addressType === 'IPv6') {
          if (ipFamilyOf(a) !== addressType) errs.push(invalid(ap, str(a), `must be a valid ${addressType} address`));
          else for (const msg of nonSpecialIPMessages(a)) errs.push(invalid(ap, str(a), msg));
        } else if (addressType === 'FQDN') pushAll(errs, fqdnErrors(ap, a));
      });
      if (typeof e.nodeName === 'string') for (const msg of isDNS1123Subdomain(e.nodeName)) errs.push(invalid(`${p}.nodeName`, str(e.nodeName), msg));
      const topoKey = Object.prototype.hasOwnProperty.call(e, 'deprecatedTopology') ? 'deprecatedTopology' : 'topology';
      const topo = asObj(e[topoKey]);
      if (Object.keys(topo).length > 16) errs.push(tooMany(`${p}.${topoKey}`, Object.keys(topo).length, 16));
      pushAll(errs, validateLabels(topo, `${p}.${topoKey}`));
      if (typeof e.hostname === 'string') for (const msg of isDNS1123Label(e.hostname)) errs.push(invalid(`${p}.hostname`, str(e.hostname), msg));
    });

  const ports = asList(es.ports);
  if (ports.length > 100) errs.push(tooMany('ports', ports.length, 100));
  else {
    const names = new Set<string>();
    ports.forEach((pv, i) => {
      const port = asObj(pv);
      const p = `ports[${i}]`;
      const name = asStr(port.name);
      if (name) for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, str(name), msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, str(name)));
      else names.add(name);
      const proto = asStr(port.protocol);
      if (!proto) errs.push(required(`${p}.protocol`));
      else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${p}.protocol`, str(proto), PROTOCOLS));
      if (typeof port.appProtocol === 'string') for (const msg of isQualifiedName(port.appProtocol)) errs.push(invalid(`${p}.appProtocol`, str(port.appProtocol), msg));
    });
  }
  return errs;
}

function validateEndpointAddress(av: unknown, path: string): FieldError[] {
  const a = asObj(av);
  const ip = asStr(a.ip);
  const errs: FieldError[] = [];
  if (!isIP(ip)) errs.push(invalid(`${path}.ip`, str(ip), VALID_IP_MSG));
  if (typeof a.hostname === 'string' && a.hostname) for (const msg of isDNS1123Label(a.hostname)) errs.push(invalid(`${path}.hostname`, str(a.hostname), msg));
  if (typeof a.nodeName === 'string') for (const msg of isDNS1123Subdomain(a.nodeName)) errs.push(invalid(`${path}.nodeName`, str(a.nodeName), msg));
  if (errs.length) return errs;
  for (const msg of nonSpecialIPMessages(ip)) errs.push(invalid(`${path}.ip`, str(ip), msg));
  return errs;
}

export function validateEndpoints(ep: Obj): FieldError[] {
  const errs: FieldError[] = validateObjectMeta(ep.metadata, true, 'dns1123subdomain');
  asList(ep.subsets).forEach((sv, i) => {
    const s = asObj(sv);
    const p = `subsets[${i}]`;
    const addresses = asList(s.addresses);
    const notReady = asList(s.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(`${p}`, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => pushAll(errs, validateEndpointAddress(a, `${p}.addresses[${j}]`)));
    notReady.forEach((a, j) => pushAll(errs, validateEndpointAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = asList(s.ports);
    ports.forEach((pv, j) => {
      const port = asObj(pv);
      const pp = `${p}.ports[${j}]`;
      const name = asStr(port.name);
      if (ports.length > 1 && !name) errs.push(required(`${pp}.name`));
      else if (name) for (const msg of isDNS1123Label(name)) errs.push(invalid(`${pp}.name`, str(name), msg));
      for (const msg of isValidPortNum(asNum(port.port))) errs.push(invalid(`${pp}.port`, num(asNum(port.port)), msg));
      const proto = asStr(port.protocol);
      if (!proto) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${pp}.protocol`, str(proto), PROTOCOLS));
    });
  });
  return errs;
}
