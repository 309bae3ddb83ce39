import rule from './env-from-secret.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: app:1
    env:
    - {name: MODE, value: prod}
    - name: CONFIG
      valueFrom: {configMapKeyRef: {name: cfg, key: mode}}
    envFrom:
    - configMapRef: {name: cfg}
    volumeMounts: [{name: creds, mountPath: /var/run/creds, readOnly: true}]
  volumes:
  - {name: creds, secret: {secretName: db}}
`,
  ],
  invalid: [
    {
      name: 'secretKeyRef and envFrom.secretRef, one finding per container naming each; init containers count',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: app:1
        envFrom:
        - secretRef: {name: db}
      containers:
      - name: app
        image: app:1
        env:
        - {name: MODE, value: prod}
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
        envFrom:
        - secretRef: {name: api-keys}
`,
      findings: [
        { path: '/spec/template/spec/initContainers/0/envFrom/0/secretRef', line: 11, message: 'init container "migrate" takes every key of Secret db (envFrom) as environment variables' },
        { path: '/spec/template/spec/containers/0/env/1/valueFrom/secretKeyRef', line: 19, severity: 'low', message: 'container "app" takes env DB_PASSWORD from Secret db, every key of Secret api-keys (envFrom) as environment variables' },
      ],
    },
  ],
});
