// SPDX-License-Identifier: Apache-2.0
/*
 * Prometheus families for saker: base unit names, _total on counters, one
 * family per quantity with labels for its parts (drop reason, sink, rule).
 */
#include <stddef.h>
#include <stdlib.h>

#include "app/metrics.h"

static const char *const drop_reasons[SAKER_DROP_REASONS] = {
	[SAKER_DROP_RING_FULL] = "ring_full",
	[SAKER_DROP_TOO_LARGE] = "too_large",
	[SAKER_DROP_NO_RING] = "no_ring",
	[SAKER_DROP_NPARAMS] = "nparams",
};

static void one(struct strbuf *sb, const char *name, const char *type, const char *help, double v)
{
	prom_family(sb, name, type, help);
	prom_sample(sb, name, v, NULL);
}

static void render_kernel(struct strbuf *sb, struct capture *cap)
{
	struct saker_counters k = { 0 };

	if (!cap || capture_counters(cap, &k))
		return;
	one(sb, "saker_kernel_events_total", "counter", "events built by the BPF probes", (double)k.events_seen);
	one(sb, "saker_kernel_events_sent_total", "counter", "events committed to a ring buffer", (double)k.events_sent);
	prom_family(sb, "saker_kernel_drops_total", "counter", "events the kernel side could not deliver, by reason");
	for (int i = 0; i < SAKER_DROP_REASONS; i++)
		prom_sample(sb, "saker_kernel_drops_total", (double)k.drops[i], "reason",
			    drop_reasons[i] ? drop_reasons[i] : "other", NULL);
	one(sb, "saker_kernel_ia32_syscalls_total", "counter", "32-bit syscalls converted to 64-bit ids",
	    (double)k.ia32_syscalls);
	one(sb, "saker_capture_rings", "gauge", "BPF ring buffers", (double)capture_rings(cap));
}

static void render_rules(struct strbuf *sb, const struct metrics_src *m)
{
	size_t n = m->rs ? ruleset_nrules(m->rs) : 0, enabled = 0;

	prom_family(sb, "saker_alerts_total", "counter", "alerts emitted, by priority");
	for (int p = 0; m->alerts_by_prio && p < PRIO_COUNT; p++)
		prom_sample(sb, "saker_alerts_total", (double)m->alerts_by_prio[p], "priority", priority_name(p), NULL);
	prom_family(sb, "saker_rule_matches_total", "counter", "events a rule matched, by rule and its priority");
	for (size_t i = 0; i < n; i++) {
		struct rule *r = ruleset_rule(m->rs, i);

		if (!r->enabled)
			continue;
		enabled++;
		prom_sample(sb, "saker_rule_matches_total", (double)r->hits, "rule", r->name, "priority",
			    priority_name(r->priority), NULL);
	}
	one(sb, "saker_rules_loaded", "gauge", "rules loaded", (double)n);
	one(sb, "saker_rules_enabled", "gauge", "rules loaded and enabled", (double)enabled);
	one(sb, "saker_drop_alerts_total", "counter", "syscall_event_drops alerts emitted", (double)m->drop_alerts);
}

static void per_sink(struct strbuf *sb, const struct output_stats *os, const char *name, const char *type,
		     const char *help, size_t off)
{
	prom_family(sb, name, type, help);
	for (int k = 0; k < SINK_COUNT; k++)
		if (os->sink[k].enabled)
			prom_sample(sb, name, (double)*(const uint64_t *)((const char *)&os->sink[k] + off), "sink",
				    sink_name(k), NULL);
}

/* Read through outputs_stats: relaxed atomic loads, no lock (output/counters.h). */
static void render_outputs(struct strbuf *sb, struct outputs *out)
{
	struct output_stats os;

	if (!out)
		return;
	outputs_stats(out, &os);
	one(sb, "saker_outputs_alerts_total", "counter", "alerts offered to the outputs", (double)os.alerts);
	one(sb, "saker_outputs_throttled_total", "counter", "alerts refused by outputs.rate and outputs.max_burst",
	    (double)os.throttled);
	one(sb, "saker_outputs_lost_total", "counter", "alerts that missed at least one sink", (double)os.lost);
	one(sb, "saker_outputs_loss_reports_total", "counter", "loss reports logged", (double)os.reports);
#define SINK(name, type, help, field) per_sink(sb, &os, name, type, help, offsetof(typeof(os.sink[0]), field))
	SINK("saker_output_sent_total", "counter", "alerts a sink delivered, by sink", sent);
	SINK("saker_output_failed_total", "counter", "alerts a sink never got (queue full or undelivered), by sink", failed);
	SINK("saker_output_queue_full_total", "counter", "alerts refused because the sink's queue was full", queue_full);
	SINK("saker_output_undelivered_total", "counter", "alerts still failing when saker stopped", undelivered);
	SINK("saker_output_errors_total", "counter", "failed write attempts (retried with backoff)", errors);
	SINK("saker_output_incidents_total", "counter", "times a sink went from working to failing", incidents);
	SINK("saker_output_queue_length", "gauge", "alerts waiting in a sink's queue", queued);
#undef SINK
}

static void render_state(struct strbuf *sb, struct state *st)
{
	struct state_stats s;

	if (!st)
		return;
	state_stats(st, &s);
	one(sb, "saker_threads", "gauge", "threads in the process table", (double)s.threads);
	one(sb, "saker_processes", "gauge", "processes in the process table", (double)s.procs);
	one(sb, "saker_fds", "gauge", "file descriptors in the fd tables", (double)s.fds);
	one(sb, "saker_threads_evicted_total", "counter", "threads dropped for the table limit", (double)s.evicted);
	one(sb, "saker_threads_purged_total", "counter", "quiet threads dropped because /proc no longer has them", (double)s.purged);
}

static void render(struct strbuf *sb, const struct metrics_src *m)
{
	prom_family(sb, "saker_build_info", "gauge", "saker's version, always 1");
	prom_sample(sb, "saker_build_info", 1, "version", m->version ? m->version : "", "engine_version", SAKER_ENGINE_VERSION, NULL);
	one(sb, "saker_events_total", "counter", "events through the pipeline (state, then rules)", (double)m->events);
	render_kernel(sb, m->cap);
	render_rules(sb, m);
	render_outputs(sb, m->out);
	render_state(sb, m->state);
}

void metrics_publish(struct metrics *m, struct web *w, const struct metrics_src *src)
{
	struct strbuf sb;

	if (!w)
		return;
	for (int tries = 0; tries < 8; tries++) {
		if (!m->buf) {
			m->cap = m->cap ? m->cap : 65536;
			if (!(m->buf = malloc(m->cap)))
				return;
		}
		strbuf_init(&sb, m->buf, m->cap);
		render(&sb, src);
		if (sb.len + 1 < m->cap)
			break;
		free(m->buf); /* cut at capacity: render again, twice as large */
		m->buf = NULL;
		m->cap *= 2;
	}
	if (m->buf)
		web_publish_metrics(w, sb.buf, sb.len);
}

void metrics_release(struct metrics *m)
{
	free(m->buf);
	m->buf = NULL;
	m->cap = 0;
}
