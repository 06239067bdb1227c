#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerate the plain manifests from the Helm chart with its default values:
#   HELM=/path/to/helm sh deploy/kubernetes/generate.sh
# (tests/e2e/test_deploy.sh fails when they and the chart disagree).
set -eu
cd "$(dirname "$0")"
HELM=${HELM:-helm}
out=$(mktemp -d)
"$HELM" template saker ../helm/saker -n saker --output-dir "$out" >/dev/null
hdr() { printf '# SPDX-License-Identifier: Apache-2.0\n# %s\n# Generated from deploy/helm/saker with default values (generate.sh).\n' "$1"; }
strip() { grep -v '^# Source:' "$1" | sed '/^---$/d'; }
{ hdr "The namespace saker runs in."; cat <<'NS'
apiVersion: v1
kind: Namespace
metadata:
  name: saker
  labels:
    app.kubernetes.io/name: saker
    pod-security.kubernetes.io/enforce: privileged
NS
} >00-namespace.yaml
{ hdr "The sensor's service account (no API token: saker does not call the API server)."; strip "$out/saker/templates/serviceaccount.yaml"; } >10-serviceaccount.yaml
{ hdr "saker.yaml and the custom rules files (/etc/saker/rules.d)."; grep -v '^# Source:' "$out/saker/templates/configmap.yaml"; } >20-configmaps.yaml
{ hdr "The sensor on every node, least privileged."; strip "$out/saker/templates/daemonset.yaml"; } >30-daemonset.yaml
rm -rf "$out"
