import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Folder of shared/ → folders of shared/ its files import. */
function sharedFolderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles("shared")) {
    const folder = file.split("/")[1]!;
    const targets = graph.get(folder) ?? new Set<string>();
    graph.set(folder, targets);
    for (const match of readFileSync(join(root, file), "utf8").matchAll(/from "(\.[^"]+)"/g)) {
      const target = normalize(join(dirname(file), match[1]!)).split("/");
      if (target[0] === "shared" && target[1] !== folder) targets.add(target[1]!);
    }
  }
  return graph;
}

describe("module shape", () => {
  it("has no import cycle between the folders of shared/", () => {
    const graph = sharedFolderImports();
    const cycles: string[] = [];
    const visit = (folder: string, path: string[]) => {
      for (const next of graph.get(folder) ?? []) {
        if (next === path[0]) cycles.push([...path, next].join(" → "));
        else if (!path.includes(next)) visit(next, [...path, next]);
      }
    };
    for (const folder of graph.keys()) visit(folder, [folder]);
    expect(cycles).toEqual([]);
  });

  it("keeps money and identifiers as leaf modules that import nothing of procure", () => {
    const graph = sharedFolderImports();
    expect([...(graph.get("money") ?? [])]).toEqual([]);
    expect([...(graph.get("ids") ?? [])]).toEqual([]);
  });
});
