import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { describe, it, type TestContext } from 'node:test'
import { run } from './main.ts'

const SECRET = '7UzGQS7woBazLUtVQJG39ywOP7J7lkPkB0UmDhMgBR8='
// Minted by Starlette's signer (test/fixtures/itsdangerous-vectors.json), issued 2023-11-14.
const PYTHON_COOKIE = 'eyJteV9zZXNzaW9uIjogIjEyMzQifQ==.ZVPxAA.y_0dTbV5TgudLmjyBEID-KtUCMo'
// The source condition resolves the package's `#crypto` and `#base64` imports to src/.
const TSX = ['--conditions=tessera-session-source', '--import', 'tsx']

describe('tessera CLI', () => {
  it('secret prints 32 random bytes in base64', () => {
    const a = run(['secret'])
    assert.equal(Buffer.from(a.output, 'base64').length, 32)
    assert.notEqual(a.output, run(['secret']).output)
  })

  it('sign then verify round-trips, with the secret from the environment too', () => {
    const signed = run(['sign', '{"my_session":"1234"}', '--secret', SECRET])
    assert.equal(signed.code, 0)
    const verified = run(['verify', `session=${signed.output}; path=/`], { SECRET_KEY: SECRET })
    assert.equal(verified.code, 0)
    assert.match(verified.output, /signature: valid/)
    assert.match(verified.output, /"my_session": "1234"/)
  })

  it('verifies a cookie minted by Python, padded payload and all, when age is not limited', () => {
    const verified = run(['verify', PYTHON_COOKIE, '--secret', SECRET, '--max-age', 'none'])
    assert.equal(verified.code, 0, verified.output)
    assert.match(verified.output, /issued: +2023-11-14/)
    assert.match(run(['verify', PYTHON_COOKIE, '--secret', SECRET]).output, /rejected: SignatureExpired/)
  })

  it('rejects a wrong secret with exit code 1 and says why', () => {
    const outcome = run(['verify', PYTHON_COOKIE, '--secret', 'x'.repeat(32), '--max-age', 'none'])
    assert.equal(outcome.code, 1)
    assert.match(outcome.output, /BadSignature/)
  })

  it('reports a key rotation hit', () => {
    const outcome = run([
      'verify',
      PYTHON_COOKIE,
      '--secret',
      'n'.repeat(32),
      '--secret',
      SECRET,
      '--max-age',
      'none',
    ])
    assert.match(outcome.output, /secret #2/)
  })

  it('signs and verifies in the format chosen with --format, and tells formats apart', () => {
    const signed = run(['sign', '{"a":1}', '--secret', SECRET, '--format', 'starlette-sha256'])
    assert.equal(signed.code, 0)
    const verified = run(['verify', signed.output, '--secret', SECRET, '--format', 'starlette-sha256'])
    assert.equal(verified.code, 0, verified.output)
    assert.match(verified.output, /format: +starlette-sha256/)
    assert.match(
      run(['verify', signed.output, '--secret', SECRET, '--format', 'starlette']).output,
      /rejected: BadSignature/,
    )
    assert.match(
      run(['verify', signed.output, '--secret', SECRET]).output,
      /format: +starlette-sha256/,
      'recognised',
    )
    assert.equal(
      run(['verify', signed.output, '--secret', SECRET, '--algorithm', 'sha256']).code,
      0,
      '--algorithm A is --format starlette-A',
    )
    assert.match(run(['inspect', signed.output, '--format', 'starlette-sha256']).output, /\{"a":1\}/)
  })

  it('refuses an unknown format, naming the known ones, and --format with --algorithm', () => {
    const unknown = run(['inspect', PYTHON_COOKIE, '--format', 'nope'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.output, /starlette, starlette-sha256, starlette-sha512, flask, iron/)
    const both = run(['sign', '{}', '--secret', SECRET, '--format', 'starlette', '--algorithm', 'sha1'])
    assert.equal(both.code, 2)
    assert.match(both.output, /not both/)
  })

  it('inspect shows the payload without a secret, marked unverified', () => {
    const outcome = run(['inspect', PYTHON_COOKIE])
    assert.equal(outcome.code, 0)
    assert.match(outcome.output, /UNVERIFIED/)
    assert.match(outcome.output, /\{"my_session": "1234"\}/)
    assert.equal(run(['inspect', 'garbage']).code, 1)
  })

  it('inspect exits 1 on a cookie it cannot read, saying which part', () => {
    const notBase64 = run(['inspect', 'a.b.c'])
    assert.equal(notBase64.code, 1)
    assert.match(notBase64.output, /payload is not base64/)
    assert.match(notBase64.output, /unreadable: the middleware would give this cookie an empty session/)
    const timestamp = PYTHON_COOKIE.split('.')[1] as string
    const notJson = run(['inspect', `${Buffer.from('[1]').toString('base64')}.${timestamp}.sig`])
    assert.equal(notJson.code, 1)
    assert.match(notJson.output, /data: +\[1\] \(session payload is not a JSON object\)/)
    const badTimestamp = run(['inspect', PYTHON_COOKIE.replace(timestamp, '!!')])
    assert.equal(badTimestamp.code, 1)
    assert.match(badTimestamp.output, /unreadable timestamp/)
  })

  it('sign refuses a secret the middleware would refuse, with the middleware’s message', () => {
    const outcome = run(['sign', '{"a":1}', '--secret', 'short'])
    assert.equal(outcome.code, 2)
    assert.match(
      outcome.output,
      /^tessera-session: --secret: secretKey: the signing secret is 5 characters, shorter than 32/,
    )
    assert.match(outcome.output, /pass --allow-weak-secret/)
    assert.equal(run(['sign', '{"a":1}'], { SECRET_KEY: 'short' }).code, 2, 'from the environment too')
    assert.match(run(['sign', '{"a":1}', '--secret', '']).output, /secretKey: an empty string/)
  })

  it('sign with --allow-weak-secret signs as a FastAPI app with a short secret_key would, and warns', (t: TestContext) => {
    const warn = t.mock.method(console, 'warn', () => {})
    const signed = run(['sign', '{"a":1}', '--secret', 'short', '--allow-weak-secret'])
    assert.equal(signed.code, 0, signed.output)
    assert.equal(warn.mock.callCount(), 1)
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /WEAK SECRET/)
    const verified = run(['verify', signed.output, '--secret', 'short'])
    assert.equal(verified.code, 0, 'a short secret that only verifies needs no opt-in')
  })

  it('explains usage and bad arguments', () => {
    assert.equal(run([]).code, 2)
    assert.equal(run(['--help']).code, 0)
    assert.match(run(['frobnicate', 'x']).output, /unknown command/)
    assert.match(run(['verify', PYTHON_COOKIE]).output, /--secret: give the secret key/)
    assert.equal(run(['verify', PYTHON_COOKIE]).code, 2)
    assert.match(run(['verify', PYTHON_COOKIE, '--secret', SECRET, '--max-age', '-3']).output, /--max-age/)
    assert.match(
      run(['verify', PYTHON_COOKIE, '--secret', SECRET, '--algorithm', 'md5']).output,
      /--algorithm/,
    )
  })

  it('refuses unknown flags, flags a command does not take and extra arguments, with usage, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['sign', '{}', '--secret', SECRET, '--secert', 'x'], /^tessera-session: unknown flag --secert\n/],
      [['verify', PYTHON_COOKIE, '--maxage', '60'], /unknown flag --maxage/],
      [['sign', '{}', '--secret'], /argument missing/],
      [
        ['sign', '{}', '--secret', SECRET, '--max-age', '60'],
        /sign takes no --max-age \(a cookie value holds only its issue time/,
      ],
      [
        ['inspect', PYTHON_COOKIE, '--secret', SECRET],
        /inspect takes no --secret \(inspect does not check the signature; use verify\)/,
      ],
      [
        ['verify', PYTHON_COOKIE, '--secret', SECRET, '--allow-weak-secret'],
        /verify takes no --allow-weak-secret/,
      ],
      [['secret', '--algorithm', 'sha1'], /secret takes no --algorithm/],
      [['secret', 'extra'], /secret: unexpected argument "extra"/],
      [['verify', PYTHON_COOKIE, 'extra', '--secret', SECRET], /verify: unexpected argument "extra"/],
      [['inspect'], /inspect: missing argument/],
    ]
    for (const [argv, message] of cases) {
      const outcome = run(argv)
      assert.equal(outcome.code, 2, argv.join(' '))
      assert.match(outcome.output, message)
      assert.match(outcome.output, /\n\nusage:\n/, 'the usage follows the error')
    }
  })

  it('runs as a program, printing errors without a stack trace', () => {
    const out = execFileSync(process.execPath, [...TSX, 'src/cli/main.ts', 'inspect', PYTHON_COOKIE], {
      encoding: 'utf8',
    })
    assert.match(out, /my_session/)
    const failures: [string[], number, RegExp][] = [
      [['sign', '[1]', '--secret', SECRET], 2, /^tessera-session: session payload is not a JSON object/],
      [['inspect', 'a.b.c'], 1, /payload is not base64/],
      [['sign', '{}', '--secret', 'short'], 2, /shorter than 32/],
      [['sign', '{}', '--nope'], 2, /unknown flag --nope[\s\S]*usage:/],
    ]
    for (const [argv, status, stderr] of failures) {
      try {
        execFileSync(process.execPath, [...TSX, 'src/cli/main.ts', ...argv], {
          encoding: 'utf8',
          stdio: 'pipe',
        })
        assert.fail('expected a failure')
      } catch (error) {
        const e = error as { status: number; stderr: string }
        assert.equal(e.status, status, argv.join(' '))
        assert.match(e.stderr, stderr)
        assert.doesNotMatch(e.stderr, /\n +at /, 'no stack trace')
      }
    }
  })
})
