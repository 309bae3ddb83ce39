import rule from './host-network.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports: [{containerPort: 80}]\n',
    { name: 'hostPort 0 means none', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 80, hostPort: 0}]}]}\n' },
    { name: 'wrong types', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: "true", containers: [{name: c, ports: "80"}]}\n' },
  ],
  invalid: [
    {
      name: 'hostNetwork points at the field and lists ports',
      yaml: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: a\n        image: x\n        ports: [{containerPort: 9100}]\n',
      findings: [{ path: '/spec/template/spec/hostNetwork', line: 7, column: 7, message: 'ports 9100' }],
    },
    {
      name: 'hostPort points at each mapping',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n    image: x\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n',
      findings: [{ path: '/spec/containers/0/ports/0/hostPort', line: 10, column: 7, message: 'container "web" binds hostPort 8080' }],
    },
  ],
});
