// Public interface of the libvirt feature database (implemented in this folder).
// The engine depends only on this interface; the generated data lives in libvirtDb.json.

/** libvirt versions are encoded as major * 1_000_000 + minor * 1_000 + micro (libvirt's own convention). */
export type VersionNumber = number;

export type LibvirtModule = 'libvirt' | 'libvirt_qemu' | 'libvirt_lxc';

/** A libvirt-python method, or a module-level function (pyClass === ''). */
export interface MethodFeature {
  readonly pyModule: LibvirtModule;
  readonly pyClass: string; // 'virDomain', '' for module functions
  readonly name: string; // 'blockCopy'
  readonly cName: string; // 'virDomainBlockCopy'
  readonly since: VersionNumber;
  readonly docsUrl: string; // https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainBlockCopy
  /** What the Python call returns, when it is a libvirt object or a list of them. */
  readonly returns?: { readonly pyClass: string; readonly list: boolean };
}

/** A VIR_* enum value or macro exposed by a libvirt python module. */
export interface ConstantFeature {
  readonly pyModule: LibvirtModule;
  readonly name: string; // 'VIR_DOMAIN_BLOCK_COPY_SHALLOW'
  readonly since: VersionNumber;
  readonly kind: 'enum' | 'macro';
  readonly enumType?: string; // 'virDomainBlockCopyFlags'
  readonly value?: string; // '(1 << 0)'
  readonly docsUrl: string;
}

export interface FeatureDb {
  /** libvirt version the data goes up to (12.3.0). */
  readonly dataVersion: VersionNumber;
  /** Classes of the python binding: 'virDomain', 'virConnect', ... (not libvirtError). */
  readonly classNames: ReadonlySet<string>;
  method(pyClass: string, name: string): MethodFeature | undefined;
  /** Every class's method with that name, oldest first. */
  methodsNamed(name: string): readonly MethodFeature[];
  moduleFunction(pyModule: LibvirtModule, name: string): MethodFeature | undefined;
  constant(pyModule: LibvirtModule, name: string): ConstantFeature | undefined;
  /** Every constant name of a module, for "did you mean" suggestions. */
  constantNames(pyModule: LibvirtModule): readonly string[];
}
