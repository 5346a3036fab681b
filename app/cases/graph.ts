import type { CaseYaml } from "./schema.ts";

/**
 * The checks a case's scene graph must pass (content:check), kept free of I/O
 * so they are unit-tested directly. Each issue names the YAML path of the key
 * to point at; the loader turns that into a line and column.
 */

export type CaseIssue = { path: Array<string | number>; message: string };

/** The references a case may cite: ids from course.yaml and the module.yaml files. */
export type KnownReferences = { has(id: string): boolean };

export function checkCaseGraph(c: CaseYaml, references: KnownReferences): CaseIssue[] {
  const issues: CaseIssue[] = [];
  const index = new Map<string, number>();
  c.scenes.forEach((s, i) => {
    if (index.has(s.id)) issues.push({ path: ["scenes", i, "id"], message: `scenes[${i}].id: duplicate scene id "${s.id}"` });
    else index.set(s.id, i);
    const choiceIds = new Set<string>();
    s.choices.forEach((ch, j) => {
      const at = `scenes[${i}].choices[${j}]`;
      if (choiceIds.has(ch.id)) issues.push({ path: ["scenes", i, "choices", j, "id"], message: `${at}.id: duplicate choice id "${ch.id}" in scene "${s.id}"` });
      choiceIds.add(ch.id);
      if (ch.rating === "unsafe" && !ch.feedback) {
        issues.push({ path: ["scenes", i, "choices", j, "rating"], message: `${at} ("${ch.id}"): an unsafe choice needs feedback saying why, and what to do instead` });
      }
      if (ch.source && !references.has(ch.source)) {
        issues.push({ path: ["scenes", i, "choices", j, "source"], message: `${at}.source: "${ch.source}" is not a reference id in course.yaml or module.yaml` });
      }
    });
  });
  c.references.forEach((id, k) => {
    if (!references.has(id)) issues.push({ path: ["references", k], message: `references: "${id}" is not defined in course.yaml or any module.yaml references` });
  });
  c.scenes.forEach((s, i) => {
    s.choices.forEach((ch, j) => {
      if (!index.has(ch.to)) issues.push({ path: ["scenes", i, "choices", j, "to"], message: `scenes[${i}].choices[${j}].to: "${ch.to}" is not a scene of this case` });
    });
  });
  if (!index.has(c.start)) {
    issues.push({ path: ["start"], message: `start: "${c.start}" is not a scene of this case (scenes: ${[...index.keys()].join(", ")})` });
    return issues;
  }

  const scenes = [...index.entries()].map(([id, i]) => ({ id, i, scene: c.scenes[i]! }));
  const targets = (id: string) => c.scenes[index.get(id)!]!.choices.map((ch) => ch.to).filter((to) => index.has(to));
  const reachable = reach([c.start], targets);
  const endings = scenes.filter((s) => s.scene.ending).map((s) => s.id);
  // Scenes from which some ending can be reached: walk the choices backwards from every ending.
  const sources = new Map<string, string[]>();
  for (const { id } of scenes) for (const to of targets(id)) sources.set(to, [...(sources.get(to) ?? []), id]);
  const canEnd = reach(endings, (id) => sources.get(id) ?? []);

  for (const { id, i, scene } of scenes) {
    if (scene.ending && scene.choices.length) {
      issues.push({ path: ["scenes", i, "choices"], message: `scenes[${i}] ("${id}"): an ending has no choices; remove them or drop "ending: true"` });
    }
    if (!reachable.has(id)) {
      issues.push({ path: ["scenes", i, "id"], message: `scenes[${i}] ("${id}"): no path from the start reaches this scene` });
      continue;
    }
    if (!scene.ending && !scene.choices.length) {
      issues.push({ path: ["scenes", i, "id"], message: `scenes[${i}] ("${id}"): the path stops here with no ending; give the scene choices, or mark it "ending: true"` });
    } else if (!canEnd.has(id)) {
      const trapped = scenes.filter((s) => reach([id], targets).has(s.id));
      // A dead end among them has its own message; this one is for loops with no way out.
      if (trapped.every((s) => s.scene.ending || s.scene.choices.length)) {
        issues.push({ path: ["scenes", i, "id"], message: `scenes[${i}] ("${id}"): no ending can be reached from here (a loop with no way out through: ${trapped.map((s) => s.id).join(", ")})` });
      }
    }
  }
  if (!bestPath(c)) {
    issues.push({ path: ["start"], message: `start: no path of "best" choices leads from "${c.start}" to an ending; mark the best choice in each scene along one complete path` });
  }
  return issues;
}

/** Every node reachable from `from` (including them) by `next`. */
function reach(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(from);
  const queue = [...from];
  while (queue.length) {
    for (const to of next(queue.shift()!)) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

export type PathStep = { sceneId: string; choiceId: string };

/** The shortest path of "best" choices from the start to an ending, or null when there is none. */
export function bestPath(c: Pick<CaseYaml, "start" | "scenes">): PathStep[] | null {
  const byId = new Map<string, CaseYaml["scenes"][number]>();
  for (const s of c.scenes) if (!byId.has(s.id)) byId.set(s.id, s);
  const came = new Map<string, PathStep | null>([[c.start, null]]);
  const queue = [c.start];
  while (queue.length) {
    const id = queue.shift()!;
    const scene = byId.get(id);
    if (!scene) continue;
    if (scene.ending) {
      const path: PathStep[] = [];
      for (let step = came.get(id); step; step = came.get(step.sceneId)) path.unshift(step);
      return path;
    }
    for (const ch of scene.choices) {
      if (ch.rating !== "best" || came.has(ch.to)) continue;
      came.set(ch.to, { sceneId: id, choiceId: ch.id });
      queue.push(ch.to);
    }
  }
  return null;
}
