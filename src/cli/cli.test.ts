import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { describe, it } from 'node:test'
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
    assert.match(run(['verify', signed.output, '--secret', SECRET]).output, /rejected: BadSignature/)
    assert.equal(
      run(['verify', signed.output, '--secret', SECRET, '--algorithm', 'sha256']).code,
      0,
      '--algorithm A is --format starlette-A',
    )
    assert.match(run(['inspect', signed.output, '--format', 'starlette-sha256']).output, /\{"a":1\}/)
  })

  it('refuses an unknown format, naming the known ones, and --format with --algorithm', () => {
    assert.throws(() => run(['inspect', PYTHON_COOKIE, '--format', 'flask']), /starlette, starlette-sha256/)
    assert.throws(
      () => run(['sign', '{}', '--secret', SECRET, '--format', 'starlette', '--algorithm', 'sha1']),
      /not both/,
    )
  })

  it('inspect shows the payload without a secret, marked unverified', () => {
    const outcome = run(['inspect', PYTHON_COOKIE])
    assert.match(outcome.output, /UNVERIFIED/)
    assert.match(outcome.output, /\{"my_session": "1234"\}/)
    assert.equal(run(['inspect', 'garbage']).code, 1)
  })

  it('explains usage and bad arguments', () => {
    assert.equal(run([]).code, 2)
    assert.match(run(['frobnicate', 'x']).output, /unknown command/)
    assert.throws(() => run(['verify', PYTHON_COOKIE]), /--secret/)
    assert.throws(() => run(['verify', PYTHON_COOKIE, '--secret', SECRET, '--max-age', '-3']), /--max-age/)
  })

  it('runs as a program, printing errors without a stack trace', () => {
    const out = execFileSync(process.execPath, [...TSX, 'src/cli/main.ts', 'inspect', PYTHON_COOKIE], {
      encoding: 'utf8',
    })
    assert.match(out, /my_session/)
    try {
      execFileSync(process.execPath, [...TSX, 'src/cli/main.ts', 'sign', '[1]', '--secret', SECRET], {
        encoding: 'utf8',
        stdio: 'pipe',
      })
      assert.fail('expected a failure')
    } catch (error) {
      const e = error as { status: number; stderr: string }
      assert.equal(e.status, 2)
      assert.match(e.stderr, /^tessera: session payload is not a JSON object/)
    }
  })
})
