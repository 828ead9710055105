{{/* The chart's name, as the app.kubernetes.io/name label. */}}
{{- define "bourse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's prefix of every object name; room is left for a "-<service>" suffix. */}}
{{- define "bourse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else if contains (include "bourse.name" .) .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "bourse.name" .) | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels of every object of the release. */}}
{{- define "bourse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "bourse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bourse
{{- end }}

{{/* Labels selecting the pods of one component; called with (dict "root" $ "name" <component>). */}}
{{- define "bourse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bourse.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Name of a component's objects; called with (dict "root" $ "name" <component>). */}}
{{- define "bourse.componentName" -}}
{{- printf "%s-%s" (include "bourse.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Cluster-local host of a component's Service (*.svc, which the services accept for plain http). */}}
{{- define "bourse.serviceHost" -}}
{{- printf "%s.%s.svc" (include "bourse.componentName" .) .root.Release.Namespace }}
{{- end }}

{{/* In-cluster h2c URL of a service's rpc port; called with (dict "root" $ "name" <service>). */}}
{{- define "bourse.serviceUrl" -}}
{{- $service := index .root.Values.services .name }}
{{- $port := index $service.ports $service.rpcPort }}
{{- printf "http://%s:%v" (include "bourse.serviceHost" .) $port.port }}
{{- end }}

{{/* A service's image reference; called with (dict "root" $ "service" <service values>). */}}
{{- define "bourse.image" -}}
{{- $tag := .service.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- printf "%s:%s" .service.image.repository $tag }}
{{- end }}

{{- define "bourse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bourse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "bourse.secretName" -}}
{{- default (printf "%s-secrets" (include "bourse.fullname" .)) .Values.secret.existingSecret }}
{{- end }}

{{- define "bourse.configName" -}}
{{- printf "%s-config" (include "bourse.fullname" .) }}
{{- end }}

{{/* DYNAMODB_ENDPOINT: the in-chart DynamoDB Local when enabled, else dynamodb.endpoint. */}}
{{- define "bourse.dynamodbEndpoint" -}}
{{- if .Values.dynamodbLocal.enabled }}
{{- printf "http://%s:8000" (include "bourse.serviceHost" (dict "root" . "name" "dynamodb-local")) }}
{{- else }}
{{- .Values.dynamodb.endpoint }}
{{- end }}
{{- end }}

{{/* REDIS_URL: the in-chart Redis when enabled, else redis.url. */}}
{{- define "bourse.redisUrl" -}}
{{- if .Values.redisServer.enabled }}
{{- printf "redis://%s:6379" (include "bourse.serviceHost" (dict "root" . "name" "redis")) }}
{{- else }}
{{- .Values.redis.url }}
{{- end }}
{{- end }}
