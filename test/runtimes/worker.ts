/**
 * A Cloudflare Worker (module syntax) serving the seed app, bundled by esbuild for the browser
 * platform and run by workerd without `nodejs_compat`. The secret comes from a text binding.
 */
import { seedApp } from './seed-app.ts'

interface Env {
  SECRET_KEY: string
}

let app: ((request: Request) => Promise<Response>) | undefined

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Bindings arrive with the first request, so the session engine is built then, once.
    app ??= seedApp(env.SECRET_KEY, 'workerd')
    return app(request)
  },
}
