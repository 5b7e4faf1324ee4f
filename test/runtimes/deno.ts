/**
 * The seed app on `Deno.serve`, bundled by esbuild for the browser platform and run with npm and
 * remote modules off. Deno 2 defines Node's `Buffer` and `process` globally even so; they are
 * removed first, so that a core that used one would fail here.
 */
import type { DenoRuntime } from '../support/runtime-globals.ts'
import { seedApp } from './seed-app.ts'

const deno = (globalThis as unknown as { Deno: DenoRuntime }).Deno
for (const name of ['Buffer', 'process', 'require']) Reflect.deleteProperty(globalThis, name)
const secretKey = deno.env.get('SECRET_KEY')
if (secretKey === undefined) throw new Error('SECRET_KEY is not set')
deno.serve(
  { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) },
  seedApp(secretKey, `deno ${deno.version.deno}`),
)
