// A Dockerfile/Containerfile as a resource of the synthetic kind `Dockerfile`: its instructions in
// order, each with its source lines, so dockerfile/* rules run through the same engine and reports.
import type { Resource } from './types.js';
import { asArray, asNumber, asObject, asString } from './json.js';

export const DOCKERFILE_API_VERSION = 'rampart.dev/v1';
export const DOCKERFILE_KIND = 'Dockerfile';

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, USER, ... */
  instruction: string;
  /** Everything after the keyword, continuation lines joined with a space, heredoc bodies with newlines. */
  value: string;
  /** 1-based line of the keyword. */
  line: number;
  /** 0-based build stage (one per FROM). */
  stage: number;
  /** JSON Pointer of this instruction in the resource. */
  path: string;
}

export function instructionsOf(r: Resource): Instruction[] {
  return asArray(r.object.instructions).flatMap((v, i) => {
    const o = asObject(v);
    const instruction = asString(o?.instruction);
    if (!o || !instruction) return [];
    return [{ instruction, value: asString(o.value) ?? '', line: asNumber(o.line) ?? 1, stage: asNumber(o.stage) ?? 0, path: `/instructions/${i}` }];
  });
}

/** Leading `--flag[=value]` options of FROM, ADD, COPY and RUN, and the rest. */
export function splitFlags(value: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = value.trimStart();
  for (let m = /^--[A-Za-z-]+(=\S*)?\s*/.exec(rest); m; m = /^--[A-Za-z-]+(=\S*)?\s*/.exec(rest)) {
    flags.push(m[0].trim());
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

export interface Stage {
  index: number;
  from: Instruction;
  /** The image reference as written (build args not substituted). */
  image: string;
  /** `AS name`, lower-cased. */
  alias?: string;
  instructions: Instruction[];
}

export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.instruction === 'FROM') {
      const words = splitFlags(ins.value).rest.split(/\s+/).filter(Boolean);
      const stage: Stage = { index: stages.length, from: ins, image: words[0] ?? '', instructions: [] };
      if (words[1]?.toLowerCase() === 'as' && words[2]) stage.alias = words[2].toLowerCase();
      stages.push(stage);
    } else stages[stages.length - 1]?.instructions.push(ins);
  }
  return stages;
}
