/**
 * The parts of Deno's and Bun's globals that the test servers use (`Deno.serve`, `Bun.serve`, their
 * environment and version), typed here once: the typecheck runs with Node's types only.
 */

export interface DenoRuntime {
  serve(
    options: { hostname: string; port: number; onListen: (address: { port: number }) => void },
    handler: (request: Request) => Promise<Response>,
  ): unknown
  env: { get(name: string): string | undefined }
  version: { deno: string }
}

export interface BunRuntime {
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Promise<Response> }): {
    port: number
  }
  env: Record<string, string | undefined>
  version: string
}
