/**
 * `node --import tsx bench/micro/prototype-adds.ts`: what one new property costs on a node:http response
 * whose prototype was replaced, as Express does on every request (`Object.setPrototypeOf(res,
 * app.response)`, the same for `req`), against a plain one. tessera's Express adapter adds five per
 * read (`req.session`, and on first use the pending commit and the wrapped `writeHead`/`write`/`end`);
 * bench/results/profiles.md puts them at ~7% of an Express read's CPU.
 */
import http from 'node:http'
import { Socket } from 'node:net'

const proto = Object.create(http.ServerResponse.prototype)

/** Microseconds per response: create it, maybe replace its prototype, add `adds` properties. */
function perResponse(replacePrototype: boolean, adds: number, n = 20_000): number {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) {
    const res = new http.ServerResponse(new http.IncomingMessage(new Socket())) as unknown as Record<
      string,
      number
    >
    if (replacePrototype) Object.setPrototypeOf(res, proto)
    for (let k = 0; k < adds; k++) res[`p${k}`] = k
  }
  return Number(process.hrtime.bigint() - start) / n / 1000
}

for (const round of [1, 2, 3]) {
  const line = [0, 1, 4].map((adds) => {
    const plain = perResponse(false, adds)
    const replaced = perResponse(true, adds)
    return `${adds} adds: plain ${plain.toFixed(1)} us, prototype replaced ${replaced.toFixed(1)} us`
  })
  console.log(`round ${round}: ${line.join('; ')}`)
}
