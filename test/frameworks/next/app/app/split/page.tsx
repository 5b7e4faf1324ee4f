import { splitSession } from '../../lib/split-session.ts'
import { growSplit } from './actions.ts'

export default async function Split() {
  const big = (await splitSession.read()).get('big')
  return (
    <form action={growSplit}>
      <p id="big">{`big: ${big?.length ?? 'none'}`}</p>
      <button type="submit">Grow</button>
    </form>
  )
}
