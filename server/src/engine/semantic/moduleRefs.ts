// How one file names another: a module reference is either an absolute dotted name
// (`nova.virt.libvirt.host`, from `import` or `from x import`) or, for a relative import, the
// absolute path of the module without its extension (`/src/nova/virt/libvirt/host`): the
// relative import is resolved against the importing file's folder here, so the workspace
// index only has to find files, never to know who asked.

/** `a.b.c`, or `/abs/path/without/extension` for what a relative import named. */
export type ModuleRef = string;

/** A name an import statement binds in a file. */
export interface ImportBinding {
  /** The name bound in the importing file (`lv` for `import libvirt as lv`). */
  readonly local: string;
  /** The module the name comes from (for `from m import n`: m; for `import m`: m). */
  readonly module: ModuleRef;
  /** `from m import n`: n. Absent for `import m` (the binding is the module itself; `import a.b.c` binds `a`). */
  readonly name?: string;
}

/**
 * The path of a file uri as module references use it: always starting with '/'
 * (`file:///a%20b/c.py` → `/a b/c.py`, `file:///C:/x.py` → `/C:/x.py`); other uris as they are.
 */
export function uriPath(uri: string): string {
  const path = uri.startsWith('file://') ? uri.slice('file://'.length) : uri;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The folder of a path (`/a/b/c.py` → `/a/b`). */
function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '' : path.slice(0, slash);
}

/**
 * The module a `from` clause names, seen from the importing file: `from ..x import y` in
 * /src/pkg/sub/mod.py is /src/pkg/x. Undefined when the dots climb above the file system root.
 */
export function moduleRefFrom(importerUri: string, fromText: string): ModuleRef | undefined {
  const dots = /^\.*/.exec(fromText)?.[0].length ?? 0;
  const rest = fromText.slice(dots);
  if (dots === 0) return rest;
  let folder = folderOf(uriPath(importerUri));
  for (let i = 1; i < dots; i++) {
    if (!folder) return undefined;
    folder = folderOf(folder);
  }
  return rest ? `${folder}/${rest.replace(/\./g, '/')}` : folder;
}

/** The reference to a submodule or attribute `name` of module `ref`. */
export function childRef(ref: ModuleRef, name: string): ModuleRef {
  return ref.startsWith('/') || ref === '' ? `${ref}/${name}` : `${ref}.${name}`;
}

/** Where a dotted name used in a file comes from: a module of the workspace and a name in it, or (no module) this file. */
export interface NameRef {
  /** Undefined: defined in the file itself. */
  readonly module?: ModuleRef;
  readonly name: string;
}

/**
 * The origin of a dotted name (`Base`, `driver.ComputeDriver`, `a.b.C`) in a file with these
 * import bindings: `from m import C` → (m, C); `import a.b` + `a.b.C` → (a.b, C); `from p import
 * mod` + `mod.C` → (p.mod, C); a plain name not imported → this file. Undefined for a dotted
 * name whose head is not an import (an attribute of some local object).
 */
export function refOfDotted(imports: ReadonlyMap<string, ImportBinding>, dotted: string): NameRef | undefined {
  const parts = dotted.split('.');
  const head = parts[0] ?? dotted;
  const last = parts[parts.length - 1] ?? dotted;
  const binding = imports.get(head);
  if (parts.length === 1) {
    if (!binding) return { name: head };
    return binding.name === undefined ? undefined : { module: binding.module, name: binding.name };
  }
  if (!binding) return undefined;
  let module = binding.name === undefined ? binding.module : childRef(binding.module, binding.name);
  for (const middle of parts.slice(1, -1)) module = childRef(module, middle);
  return { module, name: last };
}
