// Deployment / ReplicaSet (pkg/apis/apps/validation) and the part of Pod validation that decides
// whether a Pod can serve a Service: containers, their ports, restartPolicy, labels.
import { pushAll } from './arrays.ts';
import { duplicate, invalid, notSupported, num, required, str, strMap, type BadValue, type FieldError } from './field-error.ts';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './names.ts';
import {
  asList,
  asNum,
  asObj,
  asStr,
  isObj,
  selectorMatches,
  strMapOf,
  validateAnnotations,
  validateLabels,
  validateLabelSelector,
  validateObjectMeta,
  type Obj,
} from './validate-meta.ts';

const NEGATIVE = 'must be greater than or equal to 0';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function nonNegative(path: string, v: unknown): FieldError[] {
  const n = asNum(v);
  return n < 0 ? [invalid(path, num(n), NEGATIVE)] : [];
}

/** An IntOrString prints through its String() method: unquoted. */
const intOrString = (v: unknown): BadValue => {
  const text = typeof v === 'string' ? v : String(asNum(v));
  return { kind: 'composite', json: text, go: text };
};

export function validatePodSpec(specV: unknown, path: string): FieldError[] {
  const spec = asObj(specV);
  const errs: FieldError[] = [];
  const containers = asList(spec.containers);
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  const containerNames = new Set<string>();
  const portNames = new Set<string>();
  containers.forEach((cv, i) => {
    const c = asObj(cv);
    const cp = `${path}.containers[${i}]`;
    const name = asStr(c.name);
    if (!name) errs.push(required(`${cp}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${cp}.name`, str(name), msg));
      if (containerNames.has(name)) errs.push(duplicate(`${cp}.name`, str(name)));
      containerNames.add(name);
    }
    if (!asStr(c.image)) errs.push(required(`${cp}.image`));
    asList(c.ports).forEach((pv, j) => {
      const p = asObj(pv);
      const pp = `${cp}.ports[${j}]`;
      const pname = asStr(p.name);
      if (pname) {
        const msgs = isValidPortName(pname);
        if (msgs.length) for (const msg of msgs) errs.push(invalid(`${pp}.name`, str(pname), msg));
        else if (portNames.has(pname)) errs.push(duplicate(`${pp}.name`, str(pname)));
        else portNames.add(pname);
      }
      const cport = asNum(p.containerPort);
      if (cport === 0) errs.push(required(`${pp}.containerPort`));
      else for (const msg of isValidPortNum(cport)) errs.push(invalid(`${pp}.containerPort`, num(cport), msg));
      const hp = asNum(p.hostPort);
      if (hp !== 0) for (const msg of isValidPortNum(hp)) errs.push(invalid(`${pp}.hostPort`, num(hp), msg));
      const proto = asStr(p.protocol);
      if (!proto) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${pp}.protocol`, str(proto), PROTOCOLS));
    });
  });
  const rp = asStr(spec.restartPolicy);
  if (!rp) errs.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(notSupported(`${path}.restartPolicy`, str(rp), ['Always', 'OnFailure', 'Never']));
  return errs;
}

export function validatePod(pod: Obj): FieldError[] {
  return [...validateObjectMeta(pod.metadata, true, 'dns1123subdomain'), ...validatePodSpec(pod.spec, 'spec')];
}

/** ValidatePodTemplateSpecForReplicaSet: labels must satisfy the selector; restartPolicy must be Always. */
function validateTemplateForReplicaSet(templateV: unknown, selector: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(templateV)) return [required(path)];
  const meta = asObj(templateV.metadata);
  const labels = strMapOf(meta.labels);
  const selectorEmpty = isObj(selector) && asList(selector.matchExpressions).length === 0 && Object.keys(asObj(selector.matchLabels)).length === 0;
  if (!selectorEmpty && !selectorMatches(selector, labels)) {
    const value: BadValue = isObj(meta.labels) ? strMap(labels) : { kind: 'composite', json: 'null', go: 'map[string]string(nil)' };
    errs.push({ ...invalid(`${path}.metadata.labels`, value, '`selector` does not match template `labels`'), at: `${path}.metadata.labels` });
  }
  pushAll(errs, validateLabels(meta.labels, `${path}.metadata.labels`));
  pushAll(errs, validateAnnotations(meta.annotations, `${path}.metadata.annotations`));
  pushAll(errs, validatePodSpec(templateV.spec, `${path}.spec`));
  const rp = asStr(asObj(templateV.spec).restartPolicy);
  if (rp && rp !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, str(rp), ['Always']));
  return errs;
}

function validateSelectorAndTemplate(spec: Obj, kindWord: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(spec.selector)) errs.push(required('spec.selector'));
  else {
    pushAll(errs, validateLabelSelector(spec.selector, 'spec.selector'));
    if (asList(spec.selector.matchExpressions).length + Object.keys(asObj(spec.selector.matchLabels)).length === 0)
      errs.push(
        invalid('spec.selector', { kind: 'composite', json: '{}', go: 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}' }, `empty selector is invalid for ${kindWord}`),
      );
  }
  pushAll(errs, validateTemplateForReplicaSet(spec.template, spec.selector, 'spec.template'));
  return errs;
}

const percentRe = /^[0-9]+%$/;

function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string')
    return percentRe.test(v)
      ? []
      : [invalid(path, intOrString(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  return nonNegative(path, v);
}

const intOrPercentValue = (v: unknown): number => (typeof v === 'string' ? Number.parseInt(v, 10) || 0 : asNum(v));

export function validateDeployment(d: Obj): FieldError[] {
  const spec = asObj(d.spec);
  const errs: FieldError[] = validateObjectMeta(d.metadata, true, 'dns1123subdomain');
  pushAll(errs, nonNegative('spec.replicas', spec.replicas));
  pushAll(errs, validateSelectorAndTemplate(spec, 'deployment'));
  const strategy = asObj(spec.strategy);
  const type = asStr(strategy.type);
  if (type === 'Recreate') {
    if (isObj(strategy.rollingUpdate)) errs.push({ type: 'Forbidden', field: 'spec.strategy.rollingUpdate', detail: "may not be specified when strategy `type` is 'Recreate'" });
  } else if (type === 'RollingUpdate') {
    const ru = asObj(strategy.rollingUpdate);
    pushAll(errs, validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    pushAll(errs, validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
    if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
      errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', intOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
    if (typeof ru.maxUnavailable === 'string' && percentRe.test(ru.maxUnavailable) && intOrPercentValue(ru.maxUnavailable) > 100)
      errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', intOrString(ru.maxUnavailable), 'must not be greater than 100%'));
  } else {
    errs.push(notSupported('spec.strategy.type', str(type), ['Recreate', 'RollingUpdate']));
  }
  pushAll(errs, nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  if (spec.revisionHistoryLimit !== undefined && spec.revisionHistoryLimit !== null) pushAll(errs, nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    pushAll(errs, nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= asNum(spec.minReadySeconds))
      errs.push(invalid('spec.progressDeadlineSeconds', num(spec.progressDeadlineSeconds), 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateReplicaSet(rs: Obj): FieldError[] {
  const spec = asObj(rs.spec);
  const errs: FieldError[] = validateObjectMeta(rs.metadata, true, 'dns1123subdomain');
  pushAll(errs, nonNegative('spec.replicas', spec.replicas));
  pushAll(errs, validateSelectorAndTemplate(spec, 'deployment'));
  pushAll(errs, nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  return errs;
}
