{{/* Labels every object carries; the selector uses only name and part-of, as k8s/base does. */}}
{{- define "sm.selector" -}}
app.kubernetes.io/name: {{ . }}
app.kubernetes.io/part-of: stream-manager
{{- end }}

{{- define "sm.labels" -}}
{{ include "sm.selector" .name }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end }}

{{- define "sm.image" -}}
{{ .root.Values.image.repository }}/{{ .name }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end }}

{{- define "sm.redisHosts" -}}
{{ .Values.redis.external | default "redis://redis:6379" }}
{{- end }}

{{- define "sm.podSecurity" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "sm.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{- define "sm.probes" -}}
startupProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 5
  failureThreshold: 2
{{- end }}

{{- define "sm.gpuNodeAffinity" -}}
nodeAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    nodeSelectorTerms:
      - matchExpressions:
          - key: {{ .Values.gpu.nodeLabel }}
            operator: In
            values: ["true"]
{{- end }}

{{- define "sm.gpuTolerations" -}}
tolerations:
  - key: nvidia.com/gpu
    operator: Exists
    effect: NoSchedule
{{- end }}

{{/* A map whose values must be strings (label values): `--set key=true` would otherwise render a boolean. */}}
{{- define "sm.stringMap" -}}
{{- range $key, $value := . }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* SM_ADMIN_TOKEN from the admin-token Secret, for every service (empty adminToken.secretName: nothing). */}}
{{- define "sm.adminTokenEnv" -}}
{{- if .Values.adminToken.secretName }}
# Bootstrap admin API token: create the Secret yourself (k8s/README.md); absent = only stored tokens.
- name: SM_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.adminToken.secretName }}
      key: {{ .Values.adminToken.secretKey }}
      optional: true
{{- end }}
{{- end }}

{{/*
The pipeline pods' init container. The ring directory is a hostPath: the kubelet creates it owned by root, and
fsGroup does not reach hostPath volumes. This makes it the service user's before the service starts (the image has
no shell: a small Java tool, build/images/RingDirectory.java), with CHOWN and FOWNER as its only capabilities.
*/}}
{{- define "sm.ringDirectoryInit" -}}
- name: ring-directory
  image: {{ include "sm.image" . }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command: ["/opt/java/bin/java", "-XX:-UsePerfData", "-Xmx16m", "-cp", "/opt/tools", "RingDirectory", {{ .root.Values.shmDir | quote }}, "10001", "10001"]
  resources:
    requests: {cpu: 10m, memory: 64Mi}
    limits: {cpu: 500m, memory: 128Mi}
  securityContext:
    runAsUser: 0
    runAsNonRoot: false
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop: ["ALL"]
      add: ["CHOWN", "FOWNER"]
  volumeMounts:
    - name: rings
      mountPath: {{ .root.Values.shmDir }}
{{- end }}
