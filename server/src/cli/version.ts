// The tool's version, from package.json (esbuild inlines it into the bundle).
import packageJson from '../../../package.json';

export const toolVersion: string = packageJson.version;
