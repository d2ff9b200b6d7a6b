/** The compiled CLI entry (dist/cli/main.js) under `root` if it exists and no file under src/ is newer, else undefined. */
export function currentBuild(root: string): string | undefined;
