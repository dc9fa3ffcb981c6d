{{/* Chart name. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: release and chart name, at most 63 characters. */}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the pipeline pods. */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every resource. */}}
{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sluice
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "sluice.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "sluice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The pipeline configuration as mounted: the user's config plus what the chart manages. */}}
{{- define "sluice.config" -}}
{{- $dimensions := dict "enabled" .Values.dimensions.enabled -}}
{{- if .Values.dimensions.enabled -}}
{{- $token := printf "%s/%s" .Values.dimensions.token.mountPath .Values.dimensions.token.secretKey -}}
{{- $dimensions = dict "enabled" true "port" .Values.dimensions.port "bindAddress" "0.0.0.0" "token" (dict "file" $token) -}}
{{- end -}}
{{- $http := dict "http" (dict "port" .Values.metrics.port "bindAddress" "0.0.0.0" "readTimeout" .Values.http.readTimeout
    "requestTimeout" .Values.http.requestTimeout "dimensions" $dimensions) -}}
{{- $managed := $http -}}
{{- if .Values.receiver.enabled -}}
{{- $apps := list -}}
{{- range .Values.receiver.apps -}}
{{- $apps = append $apps (dict "id" .id "token" (dict "file" (printf "%s/%s" $.Values.receiver.tokens.mountPath .tokenKey))) -}}
{{- end -}}
{{- $receiver := dict "bindAddress" "0.0.0.0" "port" .Values.receiver.port "apps" $apps
    "spool" (dict "dir" "/var/lib/sluice/spool" "maxSize" .Values.receiver.spool.maxSize "readyBelowPercent" .Values.receiver.spool.readyBelowPercent) -}}
{{- if .Values.receiver.topic -}}
{{- $_ := set $receiver "topic" .Values.receiver.topic -}}
{{- end -}}
{{- $_ := set $managed "receiver" $receiver -}}
{{- end -}}
{{- toYaml (merge $managed (deepCopy .Values.config)) -}}
{{- end -}}

{{/* Secrets only the pipeline pods read, mounted as files: the PII key, Kafka credentials, the /dimensions token. */}}
{{- define "sluice.secretMounts" -}}
- name: pii-key
  mountPath: {{ .Values.piiKey.mountPath }}
  readOnly: true
{{- if .Values.kafkaCredentials.existingSecret }}
- name: kafka-credentials
  mountPath: {{ .Values.kafkaCredentials.mountPath }}
  readOnly: true
{{- end }}
{{- if .Values.dimensions.enabled }}
- name: dimensions-token
  mountPath: {{ .Values.dimensions.token.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "sluice.secretVolumes" -}}
- name: pii-key
  secret:
    secretName: {{ .Values.piiKey.existingSecret }}
    defaultMode: 0440
{{- if .Values.kafkaCredentials.existingSecret }}
- name: kafka-credentials
  secret:
    secretName: {{ .Values.kafkaCredentials.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- if .Values.dimensions.enabled }}
- name: dimensions-token
  secret:
    secretName: {{ .Values.dimensions.token.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{/* Volumes and mounts shared by the pipeline pods and the compactor. */}}
{{- define "sluice.commonMounts" -}}
- name: config
  mountPath: /etc/sluice
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .Values.lakeVolume.existingClaim }}
- name: lake
  mountPath: {{ .Values.lakeVolume.mountPath }}
{{- end }}
{{- range .Values.extraSecretMounts }}
- name: {{ .name }}
  mountPath: {{ .mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "sluice.commonVolumes" -}}
- name: config
  configMap:
    name: {{ include "sluice.fullname" . }}
- name: tmp
  emptyDir: {}
{{- if .Values.lakeVolume.existingClaim }}
- name: lake
  persistentVolumeClaim:
    claimName: {{ .Values.lakeVolume.existingClaim }}
{{- end }}
{{- range .Values.extraSecretMounts }}
- name: {{ .name }}
  secret:
    secretName: {{ .secretName }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{/* Labels that select the receiver pods. */}}
{{- define "sluice.receiverSelectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}-receiver
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
