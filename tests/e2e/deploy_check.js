// SPDX-License-Identifier: Apache-2.0
// Checks for deploy/: schema validation with kubernetes-models, the keys the
// schema does not check (unknown keys are not errors there), and equality of
// two renderings. Prints "ok - ..." / "not ok - ..." lines.
//   node deploy_check.js validate NAME FILE...      every document validates
//   node deploy_check.js keys NAME MODE FILE...     DaemonSet + ConfigMap keys (MODE least|privileged)
//   node deploy_check.js same NAME A_FILES... -- B_FILES...   same objects, parsed
//   node deploy_check.js pod FILE... > pod.yaml     the DaemonSet's pod template as a Pod
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');

const say = (ok, name, detail) => {
	console.log((ok ? 'ok - ' : 'not ok - ') + name);
	if (!ok && detail) console.log('    ' + String(detail).slice(0, 600));
	return ok;
};
const load = (files) => files.flatMap((f) => yaml.loadAll(fs.readFileSync(f, 'utf8')).filter((d) => d));
const group = (apiVersion) => (apiVersion.includes('/') ? apiVersion : 'v1');

function model(doc) {
	const mod = require('kubernetes-models/' + group(doc.apiVersion));
	if (!mod[doc.kind]) throw new Error('no model for ' + doc.apiVersion + ' ' + doc.kind);
	return new mod[doc.kind](doc);
}

function validate(name, files) {
	const docs = load(files);
	let all = docs.length > 0;
	for (const d of docs) {
		try {
			model(d).validate();
		} catch (e) {
			all = say(false, `${name}: ${d.kind} ${d.metadata && d.metadata.name} validates`, e.message);
		}
	}
	say(all, `${name}: ${docs.length} objects validate against the Kubernetes schema (${[...new Set(docs.map((d) => d.kind))].join(', ')})`);
}

// Field names of the API types we write (Kubernetes 1.30+): a misspelt key is not among them.
const KNOWN = {
	podSpec: 'serviceAccountName automountServiceAccountToken priorityClassName tolerations nodeSelector affinity containers initContainers volumes hostPID hostNetwork hostIPC dnsPolicy securityContext terminationGracePeriodSeconds',
	container: 'name image imagePullPolicy args command env securityContext ports livenessProbe readinessProbe startupProbe resources volumeMounts',
	securityContext: 'privileged allowPrivilegeEscalation readOnlyRootFilesystem capabilities seccompProfile appArmorProfile runAsUser runAsGroup runAsNonRoot',
	probe: 'httpGet initialDelaySeconds periodSeconds timeoutSeconds failureThreshold successThreshold',
	volumeMount: 'name mountPath readOnly subPath',
	volume: 'name hostPath configMap emptyDir',
};
function unknownKeys(obj, kind) {
	const known = new Set(KNOWN[kind].split(' '));
	return Object.keys(obj || {}).filter((k) => !known.has(k));
}

function keys(name, mode, files) {
	const docs = load(files);
	const ds = docs.find((d) => d.kind === 'DaemonSet');
	const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'saker-config');
	if (!say(ds && cm, `${name}: a DaemonSet and the saker-config ConfigMap`)) return;
	const cfg = yaml.load(cm.data['saker.yaml']);
	const spec = ds.spec.template.spec;
	const c = spec.containers.find((x) => x.name === 'saker');
	const sc = c.securityContext || {};
	const bad = [...unknownKeys(spec, 'podSpec').map((k) => 'pod.' + k), ...unknownKeys(c, 'container').map((k) => 'container.' + k),
		...unknownKeys(sc, 'securityContext').map((k) => 'securityContext.' + k),
		...[c.livenessProbe, c.readinessProbe].flatMap((p) => unknownKeys(p, 'probe')),
		...(c.volumeMounts || []).flatMap((m) => unknownKeys(m, 'volumeMount')), ...(spec.volumes || []).flatMap((v) => unknownKeys(v, 'volume'))];
	say(bad.length === 0, `${name}: no unknown keys in the pod spec, container, securityContext, probes, mounts, volumes`, bad.join(' '));
	say(!spec.hostPID && !spec.hostNetwork && !spec.hostIPC, `${name}: no hostPID, hostNetwork, hostIPC`);
	if (mode === 'least') {
		const add = ((sc.capabilities || {}).add || []).slice().sort().join(',');
		say(sc.privileged === false && add === 'BPF,PERFMON,SYS_PTRACE,SYS_RESOURCE' && JSON.stringify((sc.capabilities || {}).drop) === '["ALL"]',
			`${name}: not privileged; capabilities drop ALL, add BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE`, JSON.stringify(sc));
		say(sc.allowPrivilegeEscalation === false && sc.readOnlyRootFilesystem === true, `${name}: no privilege escalation, read-only root`);
		say((sc.seccompProfile || {}).type === 'Unconfined' && (sc.appArmorProfile || {}).type === 'Unconfined',
			`${name}: seccomp and AppArmor unconfined (bpf(), perf_event_open())`);
	} else {
		say(sc.privileged === true, `${name}: privileged mode`, JSON.stringify(sc));
	}
	const env = Object.fromEntries((c.env || []).map((e) => [e.name, e]));
	const root = (env.HOST_ROOT || {}).value;
	say(root === '/host', `${name}: HOST_ROOT=/host`);
	say(((env.SAKER_HOSTNAME || {}).valueFrom || {}).fieldRef && env.SAKER_HOSTNAME.valueFrom.fieldRef.fieldPath === 'spec.nodeName',
		`${name}: SAKER_HOSTNAME (alerts' hostname) from the downward API spec.nodeName`);
	const vols = Object.fromEntries((spec.volumes || []).map((v) => [v.name, v]));
	const mounts = c.volumeMounts || [];
	const hostMount = (host, at) => mounts.find((m) => m.mountPath === at && m.readOnly === true && vols[m.name] && vols[m.name].hostPath &&
		vols[m.name].hostPath.path === host);
	say(hostMount('/proc', '/host/proc') && hostMount('/etc', '/host/etc'), `${name}: host /proc and /etc read-only under /host`);
	const sockets = mounts.filter((m) => vols[m.name] && vols[m.name].hostPath && /^\/(var\/)?run(\/|$)/.test(vols[m.name].hostPath.path));
	say(sockets.length >= 1 && sockets.every((m) => m.readOnly === true && m.mountPath === root + vols[m.name].hostPath.path),
		`${name}: runtime sockets read-only under HOST_ROOT (${sockets.map((m) => vols[m.name].hostPath.path).join(', ')})`);
	say(mounts.every((m) => vols[m.name]), `${name}: every volumeMount names a volume`);
	const cfgMount = mounts.find((m) => vols[m.name] && vols[m.name].configMap && vols[m.name].configMap.name === 'saker-config');
	const argc = (c.args || []).indexOf('-c');
	say(cfgMount && argc >= 0 && c.args[argc + 1] === cfgMount.mountPath + '/saker.yaml', `${name}: -c names the mounted saker.yaml`);
	const web = cfg.webserver || {};
	const port = (c.ports || []).find((p) => p.name === 'web');
	const probeOk = (p) => p && p.httpGet && p.httpGet.path === web.k8s_healthz_endpoint && (p.httpGet.port === 'web' || p.httpGet.port === web.listen_port);
	say(web.enabled === true && port && port.containerPort === web.listen_port && probeOk(c.livenessProbe) && probeOk(c.readinessProbe),
		`${name}: liveness and readiness probes on the enabled web server's ${web.k8s_healthz_endpoint} port ${web.listen_port}`,
		JSON.stringify({ web, port, l: c.livenessProbe }));
	const tol = (spec.tolerations || []).some((t) => t.key === 'node-role.kubernetes.io/control-plane' && t.operator === 'Exists');
	say(tol, `${name}: tolerates control-plane nodes`);
	const r = c.resources || {};
	say(r.requests && r.requests.cpu && r.requests.memory && r.limits && r.limits.cpu && r.limits.memory, `${name}: resource requests and limits`);
	say(ds.spec.updateStrategy && ds.spec.updateStrategy.type === 'RollingUpdate', `${name}: RollingUpdate`);
	say(Array.isArray(cfg.rules_files) && cfg.rules_files.includes('/etc/saker/rules.d') &&
		mounts.some((m) => m.mountPath === '/etc/saker/rules.d' && vols[m.name] && vols[m.name].configMap && vols[m.name].configMap.name === 'saker-rules'),
		`${name}: custom rules ConfigMap mounted at /etc/saker/rules.d and listed in rules_files`);
}

// ConfigMap data holding YAML compares parsed.
function normal(d) {
	d = JSON.parse(JSON.stringify(d));
	if (d.kind === 'ConfigMap' && d.data) for (const k of Object.keys(d.data)) if (/\.ya?ml$/.test(k)) d.data[k] = yaml.load(d.data[k]);
	return d;
}
function same(name, a, b) {
	const key = (d) => d.kind + '/' + d.metadata.name;
	const A = Object.fromEntries(load(a).map((d) => [key(d), normal(d)]));
	const B = Object.fromEntries(load(b).map((d) => [key(d), normal(d)]));
	const util = require('util');
	for (const k of Object.keys(B)) {
		say(util.isDeepStrictEqual(A[k], B[k]), `${name}: ${k} identical`, A[k] ? 'differs' : 'missing on the left');
	}
	say(Object.keys(B).length > 0 && Object.keys(B).every((k) => A[k]), `${name}: ${Object.keys(B).join(', ')}`);
}

function pod(files) {
	const docs = load(files);
	const ds = docs.find((d) => d.kind === 'DaemonSet');
	const p = { apiVersion: 'v1', kind: 'Pod', metadata: JSON.parse(JSON.stringify(ds.spec.template.metadata)), spec: ds.spec.template.spec };
	const out = docs.filter((d) => d.kind === 'ConfigMap').concat([p]);
	process.stdout.write(out.map((d) => yaml.dump(d)).join('---\n'));
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'validate') validate(args[0], args.slice(1));
else if (cmd === 'keys') keys(args[0], args[1], args.slice(2));
else if (cmd === 'same') { const i = args.indexOf('--'); same(args[0], args.slice(1, i), args.slice(i + 1)); }
else if (cmd === 'pod') pod(args);
else { console.error('usage: deploy_check.js validate|keys|same|pod ...'); process.exit(2); }
