{{/*
Labels Helm adds on top of deploy/base's (metadata.labels of every object, never selectors or pod labels). These
are the only differences HelmChartTest allows between the chart and the kustomize base.
*/}}
{{- define "vmclone.helmLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of a service's objects: (list $ "bridge"). */}}
{{- define "vmclone.serviceLabels" -}}
app.kubernetes.io/name: vmclone-{{ index . 1 }}
app.kubernetes.io/part-of: vmclone
{{ include "vmclone.helmLabels" (index . 0) }}
{{- end }}

{{/* Labels of the shared objects. */}}
{{- define "vmclone.sharedLabels" -}}
app.kubernetes.io/part-of: vmclone
{{ include "vmclone.helmLabels" . }}
{{- end }}

{{/* The values key of a service. */}}
{{- define "vmclone.valuesKey" -}}
{{- if eq . "status-reporter" }}statusReporter{{ else }}{{ . }}{{ end }}
{{- end }}

{{- define "vmclone.namespaced" -}}
{{- if eq .Values.rbac.mode "namespaced" }}true{{ else if eq .Values.rbac.mode "cluster" }}{{ else }}
{{- fail (printf "rbac.mode must be cluster or namespaced, not %q" .Values.rbac.mode) }}{{ end }}
{{- end }}

{{/*
Each service's ClusterRole rules: exactly the calls listed for it in io.vmclone.runtime.ApiCalls (DeployManifestsTest
checks deploy/base, HelmChartTest checks the chart renders the same).
*/}}
{{- define "vmclone.rules.bridge" -}}
- apiGroups: ["vmclone.io"]
  resources: [virtualmachineclones]
  verbs: [get, list, watch, create, delete]
- apiGroups: ["vmclone.io"]
  resources: [virtualmachineclonesets]
  verbs: [list, watch]
- apiGroups: ["vmclone.io"]
  resources: [virtualmachineclonesets/status]
  verbs: [update]
{{- end }}
{{- define "vmclone.rules.planner" -}}
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [get, list]
- apiGroups: ["kubevirt.io"]
  resources: [virtualmachines, virtualmachineinstances]
  verbs: [get]
- apiGroups: ["cdi.kubevirt.io"]
  resources: [datavolumes]
  verbs: [get]
- apiGroups: ["snapshot.kubevirt.io"]
  resources: [virtualmachinesnapshots, virtualmachinesnapshotcontents]
  verbs: [get]
{{- end }}
{{- define "vmclone.rules.executor" -}}
- apiGroups: ["kubevirt.io"]
  resources: [virtualmachines]
  verbs: [create, get, list, watch, patch, delete]
- apiGroups: ["cdi.kubevirt.io"]
  resources: [datavolumes]
  verbs: [create, get, list, watch, delete]
# CDI's target claims (clone strategy, fallback reason) and its CloneSourceInUse Events, through informers
- apiGroups: [""]
  resources: [persistentvolumeclaims, events]
  verbs: [list, watch]
{{- end }}
{{- define "vmclone.rules.status-reporter" -}}
- apiGroups: ["vmclone.io"]
  resources: [virtualmachineclones]
  verbs: [get]
- apiGroups: ["vmclone.io"]
  resources: [virtualmachineclones/status]
  verbs: [update]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end }}
