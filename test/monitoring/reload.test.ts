import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK } from '../../generator/model/stack.js';
import { ruler } from '../../generator/components/index.js';
import { PORTS } from '../../core/ports.js';
import { rulerMonitoring } from '../../generator/monitoring/component-inputs.js';

const flag = (args: readonly string[], name: string) => args.filter((a) => a.startsWith(`${name}=`)).map((a) => a.slice(name.length + 1));

describe('configuration reload', () => {
  // GIVEN a changed rules ConfigMap WHEN the kubelet updates the mounted files THEN the reloader in the
  // same pod, watching exactly the directory the Ruler reads, POSTs the Ruler's own /-/reload.
  it('the Ruler reloads its rules when the ConfigMap changes', () => {
    const pod = ruler(DEFAULT_STACK, rulerMonitoring(DEFAULT_STACK)).statefulSet.spec!.template.spec!;
    const rule = pod.containers.find((c) => c.name === 'thanos-rule')!;
    const reloader = pod.containers.find((c) => c.name === 'config-reloader')!;
    const rulesDir = rule.volumeMounts!.find((m) => m.name === 'rules')!.mountPath;
    expect(flag(rule.args!, '--rule-file')).toEqual([`${rulesDir}/*.yaml`]);
    expect(flag(reloader.args!, '--watched-dir')).toEqual([rulesDir]);
    expect(reloader.volumeMounts).toContainEqual({ name: 'rules', mountPath: rulesDir, readOnly: true });
    expect(flag(reloader.args!, '--reload-url')).toEqual([`http://127.0.0.1:${PORTS.http.port}/-/reload`]);
    expect(flag(rule.args!, '--http-address')).toEqual([`0.0.0.0:${PORTS.http.port}`]);
  });
});
