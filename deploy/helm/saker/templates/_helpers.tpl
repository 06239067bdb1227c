{{- define "saker.labels" -}}
app.kubernetes.io/name: saker
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "saker.selector" -}}
app.kubernetes.io/name: saker
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* saker.yaml: the config values with rules, web server and sinks filled in */}}
{{- define "saker.config" -}}
{{- $cfg := deepCopy .Values.config -}}
{{- if not (hasKey $cfg "rules_files") -}}
{{- $files := list -}}
{{- if .Values.rules.default -}}{{- $files = append $files "/etc/saker/saker_rules.yaml" -}}{{- end -}}
{{- $files = append $files "/etc/saker/rules.d" -}}
{{- $_ := set $cfg "rules_files" $files -}}
{{- end -}}
{{- $web := dict "enabled" .Values.webserver.enabled "listen_port" (int .Values.webserver.listenPort) "listen_address" "0.0.0.0" "k8s_healthz_endpoint" .Values.webserver.healthzEndpoint "prometheus_metrics_enabled" .Values.webserver.prometheusMetrics -}}
{{- $_ := set $cfg "webserver" (merge (default dict $cfg.webserver) $web) -}}
{{- if .Values.falcosidekick.enabled -}}
{{- $_ := set $cfg "http_output" (merge (default dict $cfg.http_output) (dict "enabled" true "url" .Values.falcosidekick.url)) -}}
{{- $_ := set $cfg "json_output" true -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}
