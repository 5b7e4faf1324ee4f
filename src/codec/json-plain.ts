/**
 * Cheap scans over session JSON text that let the common case skip slower, exact work (see json.ts).
 * Each answers a question a slower definition also answers; src/codec/json-plain.test.ts pins them
 * to those definitions.
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

/**
 * Whether `text` holds a run of `length` digits, as `/\d{length}/` tells, probing one character in
 * `length`: any such run covers one of the probed positions.
 */
export function hasDigitRun(text: string, length: number): boolean {
  for (let i = length - 1; i < text.length; i += length) {
    if (!isDigit(text.charCodeAt(i))) continue
    let start = i
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--
    let end = i + 1
    while (end < text.length && isDigit(text.charCodeAt(end))) end++
    if (end - start >= length) return true
  }
  return false
}

/**
 * A sufficient test, in one pass, that each top-level member of the JSON object `text` (valid JSON,
 * as a verified source is) is written exactly as JSON.stringify writes its value: then writing the
 * data member by member, keeping unchanged members' text, gives what JSON.stringify gives. `false`
 * means "not known": the caller takes the exact path. It accepts strings without escapes or
 * surrogates, integers of at most 15 digits other than `-0`, `true`/`false`/`null`, arrays, and no
 * object below the top level (whose keys could repeat or be reordered by JSON.parse), all without
 * whitespace outside strings: what tessera and any compact JSON writer write for typical sessions.
 */
export function isPlainJson(text: string): boolean {
  let inString = false
  let depth = 0
  let digits = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === QUOTE) inString = false
      // An escape may be written differently (`\/`, `\u00e9`); a lone surrogate is written escaped.
      else if (code === BACKSLASH || (code >= 0xd800 && code <= 0xdfff)) return false
      continue
    }
    if (isDigit(code)) {
      // 16 digits may be past 2^53: rounded by JSON.parse, or a bigint.
      if (++digits === 16) return false
      continue
    }
    const afterDigit = digits > 0
    digits = 0
    switch (code) {
      case QUOTE:
        inString = true
        break
      case 0x7b: // {
        if (++depth > 1) return false
        break
      case 0x7d: // }
        depth--
        break
      case 0x2d: // -: JSON.stringify writes -0 as 0
        if (text.charCodeAt(i + 1) === 0x30 && !isDigit(text.charCodeAt(i + 2))) return false
        break
      case 0x65: // e: an exponent after a digit (1e5), else part of true/false
        if (afterDigit) return false
        break
      case 0x5b: // [
      case 0x5d: // ]
      case 0x2c: // ,
      case 0x3a: // :
      case 0x74: // t r u f a l s n: true, false, null
      case 0x72:
      case 0x75:
      case 0x66:
      case 0x61:
      case 0x6c:
      case 0x73:
      case 0x6e:
        break
      default:
        // Whitespace, a fraction or exponent (. E +), NaN, Infinity.
        return false
    }
  }
  return !inString
}
