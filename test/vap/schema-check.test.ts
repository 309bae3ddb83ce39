// Policy expressions type-checked against the schemas of the built-in kinds they match (generated
// from kubernetes-types): misspelt fields (also under has() and .?, where they would silently never
// match), string functions on numbers, comparisons with a literal of another type; and silence where
// the kind or the field is not known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../src/input/files.js';
import { loadPolicies } from '../../src/analyses/vap/policy.js';
import { K8S_KINDS, K8S_SCHEMA_VERSION } from '../../src/analyses/vap/k8s-schema.generated.js';

const RULES: Record<string, string> = {
  deployments: '{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}',
  pods: '{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}',
  both: '{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}, {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}',
  any: '{apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"]}',
  custom: '{apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}',
  scale: '{apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments/scale]}',
  services: '{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [services]}',
};

/** Schema errors of one policy (match: a key of RULES), as "line: message" without the common prefix. */
function check(match: string, expression: string, variables: Record<string, string> = {}): string[] {
  const vars = Object.entries(variables).map(([name, e]) => `    - {name: ${name}, expression: ${JSON.stringify(e)}}`).join('\n');
  const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules: [${RULES[match]}]
${vars ? `  variables:\n${vars}\n` : ''}  validations:
    - expression: ${JSON.stringify(expression)}
`;
  const l = loadPolicies(loadText(yaml, 'p.yaml').resources);
  return l.errors.map((e) => `${e.line}: ${e.message.replace(/^ValidatingAdmissionPolicy p /, '')}`);
}

test('the generated schema covers the kinds policies match', () => {
  for (const k of ['v1/Pod', 'apps/v1/Deployment', 'batch/v1/CronJob', 'networking.k8s.io/v1/Ingress', 'rbac.authorization.k8s.io/v1/RoleBinding', 'v1/Service', 'v1/ConfigMap']) assert.ok(K8S_KINDS[k], k);
  console.log(`schema: kubernetes-types ${K8S_SCHEMA_VERSION}, ${Object.keys(K8S_KINDS).length} kinds`);
});

test('misspelt fields are errors at the policy line and field, with the character', () => {
  assert.deepEqual(check('deployments', 'object.spec.replica <= 5'), ['8: /spec/validations/0/expression: type error against the schema: "replica" is not a field of DeploymentSpec (Kubernetes 1.30 schema) (at character 1 of "object.spec.replica <= 5")']);
  // under has() and .? a misspelt field never matches: the policy would silently pass everything
  assert.match(check('pods', '!has(object.spec.hostNetwrk)')[0]!, /"hostNetwrk" is not a field of PodSpec/);
  assert.match(check('pods', "object.spec.?securityContex.?runAsNonRoot.orValue(false)")[0]!, /"securityContex" is not a field of PodSpec/);
  // inside comprehensions, the variable is an element of the list
  assert.match(check('pods', "object.spec.containers.all(c, c.imagee.startsWith('registry/'))")[0]!, /"imagee" is not a field of Container .*at character 31/);
  assert.match(check('pods', 'object.spec.containers.all(c, c.ports.all(p, p.containerPrt > 1024))')[0]!, /"containerPrt" is not a field of ContainerPort/);
  // through variables and cel.bind, on oldObject and namespaceObject
  assert.match(check('pods', "variables.cs.all(c, c.nme != '')", { cs: 'object.spec.containers' })[0]!, /"nme" is not a field of Container/);
  assert.match(check('pods', "cel.bind(sc, object.spec.securityContext, sc.runAsNonRot == true)")[0]!, /"runAsNonRot" is not a field of PodSecurityContext/);
  assert.match(check('deployments', 'oldObject == null || oldObject.spec.replicas == object.spec.replica')[0]!, /"replica" is not a field of DeploymentSpec/);
  assert.match(check('pods', "namespaceObject.metadata.labelz.size() == 0")[0]!, /"labelz" is not a field of ObjectMeta/);
});

test('type errors: string functions on numbers, comprehensions over scalars, comparisons with another type', () => {
  assert.match(check('deployments', "object.spec.replicas.startsWith('1')")[0]!, /startsWith\(\) is a string function, and this is a number/);
  assert.match(check('deployments', "object.spec.replicas == '3'")[0]!, /compares a number field with a string: never equal/);
  assert.match(check('pods', 'object.metadata.name == 3')[0]!, /compares a string field with a number/);
  assert.match(check('pods', "object.spec.hostNetwork == 'true'")[0]!, /compares a bool field with a string/);
  assert.match(check('pods', 'object.spec.hostname.all(c, c != "-")')[0]!, /all\(\) needs a list or map, and this is a string/);
});

test('no error where the schema allows it or is not known', () => {
  const fine: [string, string][] = [
    ['deployments', 'object.spec.replicas <= 5'],
    ['deployments', "has(object.metadata.labels) && object.metadata.labels.team != ''"],
    ['pods', "object.spec.containers.all(c, !has(c.securityContext) || c.securityContext.?privileged.orValue(false) == false)"],
    ['pods', "object.spec.containers.map(c, c.image).all(i, i.startsWith('registry/'))"],
    ['pods', "object.spec.containers.filter(c, c.name == 'app').all(c, c.image != '')"],
    ['pods', "object.metadata.?annotations['a/b'].orValue('') == ''"],
    // a field in one of the matched kinds only (guarded by kind): fine
    ['both', "object.kind != 'Deployment' || object.spec.template.spec.containers.size() > 0"],
    // int-or-string: both are right
    ['services', "object.spec.ports.all(p, p.targetPort == 'http' || p.targetPort == 8080)"],
    // kinds or subresources whose schema is not known: nothing said
    ['any', 'object.spec.anything == 1'],
    ['custom', 'object.spec.anything == 1'],
    ['scale', 'object.spec.replicas <= 5'],
    ['deployments', 'object.spec.replicas <= params.max'],
    ['deployments', "object.spec.replicas == null"],
  ];
  for (const [m, e] of fine) assert.deepEqual(check(m, e), [], `${m}: ${e}`);
  console.log(`schema check: 14 wrong expressions reported, ${fine.length} right or unknowable ones left alone`);
});
