{{/* Names, labels and the per-service pieces shared by every template. */}}

{{- define "hotline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hotline.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of one service's objects: <fullname>-<service>. Args: dict root name. */}}
{{- define "hotline.serviceName" -}}
{{- printf "%s-%s" (include "hotline.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hotline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: stable keys only (never the version or chart). Args: dict root name. */}}
{{- define "hotline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hotline.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Common labels. Args: dict root name. */}}
{{- define "hotline.labels" -}}
helm.sh/chart: {{ include "hotline.chart" .root }}
{{ include "hotline.selectorLabels" . }}
app.kubernetes.io/part-of: hotline
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Labels of the whole release (default-deny policy). */}}
{{- define "hotline.releaseSelector" -}}
app.kubernetes.io/name: {{ include "hotline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hotline.image" -}}
{{- $tag := .svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .svc.image.repository $tag -}}
{{- end -}}

{{/* host:port of a service's gRPC port, by its Kubernetes Service name. Args: dict root name. */}}
{{- define "hotline.grpcTarget" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "%s:%d" (include "hotline.serviceName" .) (int $svc.grpcPort) -}}
{{- end -}}

{{/* In-cluster HTTP URL of one service. Args: dict root name. */}}
{{- define "hotline.httpUrl" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "http://%s:%d" (include "hotline.serviceName" .) (int $svc.httpPort) -}}
{{- end -}}

{{/*
Plain configuration of one service as a YAML map (ConfigMap data; inline env of the migration Job).
Args: dict root name svc.
*/}}
{{- define "hotline.configData" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
HTTP_HOST: "0.0.0.0"
HTTP_PORT: {{ .svc.httpPort | quote }}
GRPC_HOST: "0.0.0.0"
GRPC_PORT: {{ .svc.grpcPort | quote }}
# The pre-install/pre-upgrade hook Job migrates; pods never race each other on Alembic.
MIGRATE_ON_START: "false"
NATS_URL: {{ $v.nats.url | quote }}
EVENTS_NAMESPACE: {{ $v.config.eventsNamespace | quote }}
AUTH_ISSUER: {{ $v.auth.issuer | quote }}
AUTH_AUDIENCE: {{ $v.auth.audience | quote }}
{{- if $v.auth.jwksUrl }}
AUTH_JWKS_URL: {{ $v.auth.jwksUrl | quote }}
{{- else }}
AUTH_PUBLIC_KEY_FILE: {{ printf "/etc/hotline/auth/%s" $v.auth.publicKey.key | quote }}
{{- end }}
TIMEZONE: {{ $v.config.timezone | quote }}
LOG_LEVEL: {{ $v.config.logLevel | quote }}
LOAD_DEMO_DATA: {{ $v.config.loadDemoData | toString | quote }}
COOKIE_SECURE: {{ $v.config.cookieSecure | toString | quote }}
{{- if and $v.ingress.trustedProxies .svc.ingress.enabled }}
FORWARDED_ALLOW_IPS: {{ $v.ingress.trustedProxies | quote }}
{{- end }}
{{- if and $v.config.podCidrs (eq .name "intake") }}
LOGIN_TRUSTED_FORWARDERS: {{ $v.config.podCidrs | quote }}
{{- end }}
CONSUMER_MAX_DELIVER: {{ $v.config.consumerMaxDeliver | toString | quote }}
CONSUMER_ACK_WAIT_SECONDS: {{ $v.config.consumerAckWaitSeconds | toString | quote }}
OUTBOX_RETENTION_HOURS: {{ $v.config.outboxRetentionHours | toString | quote }}
EVENT_GAP_CHECK_SECONDS: {{ $v.config.eventGapCheckSeconds | toString | quote }}
EVENT_GAP_GRACE_SECONDS: {{ $v.config.eventGapGraceSeconds | toString | quote }}
{{- $sources := list -}}
{{- range $producer := .svc.consumes }}
{{- if (index $v.services $producer).enabled }}
{{- $sources = append $sources (printf "%s=%s" $producer (include "hotline.grpcTarget" (dict "root" $root "name" $producer))) -}}
{{- end }}
{{- end }}
EVENT_SOURCES: {{ join "," $sources | quote }}
{{- range $callee := .svc.calls }}
{{ printf "%s_GRPC_TARGET" (upper $callee) }}: {{ include "hotline.grpcTarget" (dict "root" $root "name" $callee) | quote }}
{{- end }}
{{- range $callee := .svc.httpCalls }}
{{ printf "%s_HTTP_URL" (upper $callee) }}: {{ include "hotline.httpUrl" (dict "root" $root "name" $callee) | quote }}
{{- end }}
{{- if $v.auth.tokenUrl }}
AUTH_TOKEN_URL: {{ $v.auth.tokenUrl | quote }}
{{- else if has "intake" .svc.httpCalls }}
AUTH_TOKEN_URL: {{ printf "%s/api/v1/auth/token" (include "hotline.httpUrl" (dict "root" $root "name" "intake")) | quote }}
{{- end }}
{{- if $v.auth.serviceTokenUrl }}
SERVICE_TOKEN_URL: {{ $v.auth.serviceTokenUrl | quote }}
{{- end }}
{{- /* Public addresses of the front doors: links in pages and one-time links point there. */}}
{{- if $v.ingress.enabled }}
{{- range $other, $o := $v.services }}
{{- if and $o.enabled $o.ingress.enabled }}
{{ printf "%s_PUBLIC_URL" (upper $other) }}: {{ printf "https://%s" $o.ingress.host | quote }}
{{- end }}
{{- end }}
{{- if .svc.ingress.enabled }}
PUBLIC_BASE_URL: {{ printf "https://%s" .svc.ingress.host | quote }}
{{- end }}
{{- end }}
OTEL_SERVICE_NAME: {{ .name | quote }}
OTEL_RESOURCE_ATTRIBUTES: {{ printf "service.namespace=hotline,service.version=%s,deployment.environment=%s,k8s.namespace.name=%s" $root.Chart.AppVersion $v.otel.environment $root.Release.Namespace | quote }}
{{- if $v.otel.endpoint }}
OTEL_TRACES_EXPORTER: "otlp"
OTEL_EXPORTER_OTLP_ENDPOINT: {{ $v.otel.endpoint | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ $v.otel.protocol | quote }}
{{- else }}
OTEL_TRACES_EXPORTER: "none"
{{- end }}
{{- range $k, $val := .svc.env }}
{{ $k }}: {{ $val | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secret environment: only secretKeyRef. Args: dict root svc. */}}
{{- define "hotline.secretEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "services.<name>.database.existingSecret is required" .svc.database.existingSecret }}
      key: {{ .svc.database.key }}
{{- if .root.Values.nats.credentials.existingSecret }}
- name: NATS_USER
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.nats.credentials.existingSecret }}
      key: {{ printf "%s-user" .name }}
- name: NATS_PASSWORD_FILE
  value: {{ printf "/etc/hotline/nats/%s-password" .name | quote }}
{{- end }}
{{- range .svc.secretEnv }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .key }}
{{- end }}
{{- range .svc.secretFiles }}
- name: {{ .env }}
  value: {{ printf "/etc/hotline/secrets/%s/%s" (lower .env | replace "_" "-") .key | quote }}
{{- end }}
{{- end -}}

{{/* Volumes for the pod: /tmp and the mounted secret files. Args: dict root svc. */}}
{{- define "hotline.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if not .root.Values.auth.jwksUrl }}
- name: auth-public-key
  secret:
    secretName: {{ .root.Values.auth.publicKey.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .root.Values.auth.publicKey.key }}
        path: {{ .root.Values.auth.publicKey.key }}
{{- end }}
{{- if .root.Values.nats.credentials.existingSecret }}
- name: nats-password
  secret:
    secretName: {{ .root.Values.nats.credentials.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ printf "%s-password" .name }}
        path: {{ printf "%s-password" .name }}
{{- end }}
{{- range .svc.secretFiles }}
- name: {{ printf "secret-%s" (lower .env | replace "_" "-") }}
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end -}}

{{- define "hotline.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if not .root.Values.auth.jwksUrl }}
- name: auth-public-key
  mountPath: /etc/hotline/auth
  readOnly: true
{{- end }}
{{- if .root.Values.nats.credentials.existingSecret }}
- name: nats-password
  mountPath: /etc/hotline/nats
  readOnly: true
{{- end }}
{{- range .svc.secretFiles }}
- name: {{ printf "secret-%s" (lower .env | replace "_" "-") }}
  mountPath: {{ printf "/etc/hotline/secrets/%s" (lower .env | replace "_" "-") }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "hotline.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.uid }}
runAsGroup: {{ .Values.podSecurity.gid }}
fsGroup: {{ .Values.podSecurity.gid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "hotline.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.uid }}
runAsGroup: {{ .Values.podSecurity.gid }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* A NetworkPolicyPeer selecting one service's pods. Args: dict root name. */}}
{{- define "hotline.peer" -}}
- podSelector:
    matchLabels:
      {{- include "hotline.selectorLabels" . | nindent 6 }}
{{- end -}}
